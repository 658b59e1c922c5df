import { describe, expect, it } from 'vitest';
import { applyPin, decidePin, keyFingerprint } from './key-pinning.js';
import { MemoryPinnedKeyStore } from './memory.pinned-key-store.js';
import { errorOf, fixedBytes, flipByte } from './test-fixtures/crypto-test-support.js';
import { generateX25519KeyPair } from './x25519-key-pair.js';

const T0 = 1_718_000_000_000;

describe('member key pinning (trust on first use)', () => {
  it('remembers the first key seen for a user and accepts it again', () => {
    const store = new MemoryPinnedKeyStore();
    const key = generateX25519KeyPair().publicKey;
    const seen = { userId: 'u-bob', publicKey: key };
    expect(applyPin(store, seen, { userLabel: 'bob@example.com', nowMs: T0 }).equals(key)).toBe(
      true,
    );
    expect(store.get('u-bob')).toEqual({
      userId: 'u-bob',
      publicKey: key,
      firstSeenAtMs: T0,
      verifiedAtMs: null,
    });
    expect(decidePin(store.get('u-bob'), seen, { userLabel: 'bob', nowMs: T0 + 1 })).toEqual({
      action: 'accept',
    });
    expect(
      applyPin(
        store,
        { userId: 'u-bob', publicKey: Buffer.from(key) },
        { userLabel: 'bob', nowMs: T0 + 5 },
      ).equals(key),
    ).toBe(true);
    expect(store.get('u-bob')?.firstSeenAtMs).toBe(T0);
  });

  it('refuses a different key later, naming the user, and keeps the pinned one', () => {
    const store = new MemoryPinnedKeyStore();
    const first = generateX25519KeyPair().publicKey;
    applyPin(store, { userId: 'u-bob', publicKey: first }, { userLabel: 'Bob Marsh', nowMs: T0 });
    const swapped = flipByte(first, 0);
    const error = errorOf(
      () =>
        applyPin(
          store,
          { userId: 'u-bob', publicKey: swapped },
          { userLabel: 'Bob Marsh', nowMs: T0 + 1 },
        ),
      'PINNED_KEY_MISMATCH',
    );
    expect(error.message).toMatch(
      /^The server handed a different key for Bob Marsh than the one this device saw first/,
    );
    expect(error.message).toContain(keyFingerprint(first));
    expect(error.message).toContain(keyFingerprint(swapped));
    expect(store.get('u-bob')?.publicKey.equals(first)).toBe(true);
    // Each user is pinned on its own: the same key for someone else is that one's first key.
    expect(
      applyPin(
        store,
        { userId: 'u-carol', publicKey: swapped },
        { userLabel: 'Carol', nowMs: T0 },
      ).equals(swapped),
    ).toBe(true);
  });

  it('takes a different key only when the user explicitly re-verifies it', () => {
    const store = new MemoryPinnedKeyStore();
    const first = generateX25519KeyPair().publicKey;
    const next = generateX25519KeyPair().publicKey;
    applyPin(store, { userId: 'u-bob', publicKey: first }, { userLabel: 'Bob', nowMs: T0 });
    errorOf(
      () =>
        applyPin(
          store,
          { userId: 'u-bob', publicKey: next },
          { userLabel: 'Bob', reverified: false, nowMs: T0 + 1 },
        ),
      'PINNED_KEY_MISMATCH',
    );
    expect(
      applyPin(
        store,
        { userId: 'u-bob', publicKey: next },
        { userLabel: 'Bob', reverified: true, nowMs: T0 + 2 },
      ).equals(next),
    ).toBe(true);
    expect(store.get('u-bob')).toMatchObject({ firstSeenAtMs: T0 + 2, verifiedAtMs: T0 + 2 });
    // Now the old key is the stranger.
    errorOf(
      () =>
        applyPin(store, { userId: 'u-bob', publicKey: first }, { userLabel: 'Bob', nowMs: T0 + 3 }),
      'PINNED_KEY_MISMATCH',
    );
  });

  it('keeps what it stores apart from the buffers it is handed', () => {
    const store = new MemoryPinnedKeyStore();
    const key = Buffer.from(generateX25519KeyPair().publicKey);
    const original = Buffer.from(key);
    applyPin(store, { userId: 'u-bob', publicKey: key }, { userLabel: 'Bob', nowMs: T0 });
    key.fill(0);
    expect(store.get('u-bob')?.publicKey.equals(original)).toBe(true);
  });

  it('gives short fingerprints two people can read out, fixed for a fixed key', () => {
    expect(keyFingerprint(fixedBytes('user'))).toBe('f7e7 a43a ed12 fefa');
    expect(keyFingerprint(flipByte(fixedBytes('user'), 0))).not.toBe('f7e7 a43a ed12 fefa');
  });
});
