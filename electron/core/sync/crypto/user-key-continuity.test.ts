import { describe, expect, it } from 'vitest';
import { MemoryPinnedKeyStore } from './memory.pinned-key-store.js';
import { errorOf, flipByte } from './test-fixtures/crypto-test-support.js';
import { applyUserKeyPin, decideUserKey } from './user-key-continuity.js';
import { generateUserKey, type UserKey } from './user-key.js';
import { makeUserKeyStatement, type UserKeyStatement } from './user-key-statement.js';
import { userSigningKey } from './user-signing-key.js';
import { generateX25519KeyPair } from './x25519-key-pair.js';

const T0 = 1_718_000_000_000;
const BOB = 'u-bob';
const options = { userLabel: 'bob@example.com', nowMs: T0 };
const RECOVERY = generateX25519KeyPair().publicKey;

/** Bob's user key versions 1..n and the statements he signs for them. */
function history(n: number): { keys: UserKey[]; chain: UserKeyStatement[] } {
  const keys: UserKey[] = [];
  const chain: UserKeyStatement[] = [];
  for (let version = 1; version <= n; version += 1) {
    const key = generateUserKey(BOB, version);
    chain.push(makeUserKeyStatement(key, keys.at(-1) ?? null, RECOVERY));
    keys.push(key);
  }
  return { keys, chain };
}

function pinnedAt(chain: UserKeyStatement[], upTo: number): MemoryPinnedKeyStore {
  const store = new MemoryPinnedKeyStore();
  applyUserKeyPin(store, BOB, chain.slice(0, upTo), options);
  return store;
}

describe('user key continuity across rotations', () => {
  it('pins the signing key on first sight, and a signed rotation moves the pin without a warning', () => {
    const { keys, chain } = history(3);
    const store = pinnedAt(chain, 1);
    expect(store.get(BOB)?.publicKey.equals(userSigningKey(keys[0] as UserKey).publicKey)).toBe(
      true,
    );

    const current = applyUserKeyPin(store, BOB, chain, { ...options, nowMs: T0 + 1 });
    expect(current.version).toBe(3);
    expect(current.publicKey.equals((keys[2] as UserKey).pair.publicKey)).toBe(true);
    expect(store.get(BOB)?.publicKey.equals(chain[2]?.signingPublicKey as Buffer)).toBe(true);
    expect(store.get(BOB)?.firstSeenAtMs).toBe(T0);
    expect(decideUserKey(store.get(BOB), BOB, chain, options).action).toBe('accept');
  });

  it('refuses a key the server swaps in for the current version', () => {
    const { chain } = history(2);
    const store = pinnedAt(chain, 2);
    // The server's own key pair, with a statement that signs itself: no link to Bob's key.
    const forged = makeUserKeyStatement(generateUserKey(BOB, 1), null, RECOVERY);
    const swapped = [{ ...forged }];
    const error = errorOf(
      () => applyUserKeyPin(store, BOB, swapped, options),
      'PINNED_KEY_MISMATCH',
    );
    expect(error.message).toContain('bob@example.com');
    // Same signing key as pinned but another X25519 key: the self-signature fails.
    const other = generateUserKey(BOB, 2).pair.publicKey;
    const relabelled = [
      chain[0] as UserKeyStatement,
      { ...(chain[1] as UserKeyStatement), publicKey: other },
    ];
    errorOf(() => applyUserKeyPin(store, BOB, relabelled, options), 'PINNED_KEY_MISMATCH');
    // Or another Recovery Key, which a rotation would then seal the next user key to.
    const serverRecovery = generateX25519KeyPair().publicKey;
    const recoverySwapped = [
      chain[0] as UserKeyStatement,
      { ...(chain[1] as UserKeyStatement), recoveryPublicKey: serverRecovery },
    ];
    errorOf(() => applyUserKeyPin(store, BOB, recoverySwapped, options), 'PINNED_KEY_MISMATCH');
    expect(store.get(BOB)?.publicKey.equals(chain[1]?.signingPublicKey as Buffer)).toBe(true);
  });

  it('refuses a rotation signed by a key other than the pinned version', () => {
    const { keys, chain } = history(1);
    const store = pinnedAt(chain, 1);
    const stranger = generateUserKey(BOB, 1);
    const next = generateUserKey(BOB, 2);
    const forged = makeUserKeyStatement(next, stranger, RECOVERY);
    expect(forged.previousSignature).not.toBeNull();
    errorOf(() => applyUserKeyPin(store, BOB, [...chain, forged], options), 'PINNED_KEY_MISMATCH');
    // A statement with no link at all, or a flipped signature, is refused too.
    errorOf(
      () =>
        applyUserKeyPin(store, BOB, [...chain, { ...forged, previousSignature: null }], options),
      'PINNED_KEY_MISMATCH',
    );
    const real = makeUserKeyStatement(next, keys[0] as UserKey, RECOVERY);
    const flipped = { ...real, previousSignature: flipByte(real.previousSignature as Buffer, 5) };
    errorOf(() => applyUserKeyPin(store, BOB, [...chain, flipped], options), 'PINNED_KEY_MISMATCH');
    expect(applyUserKeyPin(store, BOB, [...chain, real], options).version).toBe(2);
  });

  it('refuses an older version handed back after a rotation was pinned (replay)', () => {
    const { chain } = history(3);
    const store = pinnedAt(chain, 3);
    errorOf(() => applyUserKeyPin(store, BOB, chain.slice(0, 2), options), 'PINNED_KEY_MISMATCH');
    errorOf(() => applyUserKeyPin(store, BOB, chain.slice(0, 1), options), 'PINNED_KEY_MISMATCH');
    expect(store.get(BOB)?.publicKey.equals(chain[2]?.signingPublicKey as Buffer)).toBe(true);
  });

  it('refuses a list out of order, with a gap, or of another user', () => {
    const { chain } = history(3);
    const store = pinnedAt(chain, 1);
    errorOf(
      () => applyUserKeyPin(store, BOB, [chain[0], chain[2]] as UserKeyStatement[], options),
      'PINNED_KEY_MISMATCH',
    );
    errorOf(
      () => applyUserKeyPin(store, BOB, [...chain].reverse(), options),
      'PINNED_KEY_MISMATCH',
    );
    errorOf(() => applyUserKeyPin(store, 'u-eve', chain, options), 'PINNED_KEY_MISMATCH');
    errorOf(() => applyUserKeyPin(store, BOB, [], options), 'PINNED_KEY_MISMATCH');
  });

  it('takes an unlinked key only once the user re-verifies it', () => {
    const { chain } = history(1);
    const store = pinnedAt(chain, 1);
    const reset = [makeUserKeyStatement(generateUserKey(BOB, 1), null, RECOVERY)];
    errorOf(() => applyUserKeyPin(store, BOB, reset, options), 'PINNED_KEY_MISMATCH');
    const taken = applyUserKeyPin(store, BOB, reset, {
      ...options,
      reverified: true,
      nowMs: T0 + 9,
    });
    expect(taken.signingPublicKey.equals(reset[0]?.signingPublicKey as Buffer)).toBe(true);
    expect(store.get(BOB)?.verifiedAtMs).toBe(T0 + 9);
  });
});
