import { timingSafeEqual } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { keyFingerprint, type PinOptions } from './key-pinning.js';
import type { PinnedKey, PinnedKeyStore } from './pinned-key-store.js';
import { followsFrom, selfSignatureHolds, type UserKeyStatement } from './user-key-statement.js';

/**
 * Pinning that survives a legitimate rotation. What is pinned per member is the signing key
 * of the newest user key version this device has verified (user-key-statement.ts). The
 * server lists every version's statement; a newer version is taken only when each step
 * from the pinned one on is signed by the version before it, which only the holder of that
 * version could do. So a rotation by the member moves the pin along without a warning,
 * while a key the server makes up, a statement signed by anyone else, and an older version
 * handed back (the pinned key is then not in the list) are all refused.
 */
export type ContinuityDecision =
  | { action: 'pin'; current: UserKeyStatement; pin: PinnedKey } // first sight (trust on first use)
  | { action: 'accept'; current: UserKeyStatement } // the version pinned is still the newest
  | { action: 'advance'; current: UserKeyStatement; pin: PinnedKey } // a proven rotation
  | { action: 'refuse'; error: CofferError };

export function decideUserKey(
  pinned: PinnedKey | undefined,
  userId: string,
  chain: readonly UserKeyStatement[],
  options: PinOptions,
): ContinuityDecision {
  const current = chain.at(-1);
  if (current === undefined || !isChainShape(userId, chain)) {
    return refuse(userId, options, pinned, current, 'does not list its key versions in order');
  }
  const pinAt = (statement: UserKeyStatement): PinnedKey => ({
    userId,
    publicKey: Buffer.from(statement.signingPublicKey),
    firstSeenAtMs: options.nowMs,
    verifiedAtMs: options.reverified === true ? options.nowMs : null,
  });
  if (pinned === undefined) {
    if (!linksHold(chain, 0)) return refuse(userId, options, pinned, current, 'is not signed');
    return { action: 'pin', current, pin: pinAt(current) };
  }
  const from = chain.findIndex((statement) =>
    sameKey(statement.signingPublicKey, pinned.publicKey),
  );
  if (from === -1) {
    if (options.reverified === true && linksHold(chain, chain.length - 1)) {
      return { action: 'advance', current, pin: pinAt(current) };
    }
    return refuse(
      userId,
      options,
      pinned,
      current,
      'does not come from the key this device pinned',
    );
  }
  if (!linksHold(chain, from)) {
    return refuse(userId, options, pinned, current, 'is not signed by the key this device pinned');
  }
  if (from === chain.length - 1) return { action: 'accept', current };
  return {
    action: 'advance',
    current,
    pin: { ...pinAt(current), firstSeenAtMs: pinned.firstSeenAtMs },
  };
}

/** The member's current user key once proven: pins or moves the pin, throws PINNED_KEY_MISMATCH. */
export function applyUserKeyPin(
  store: PinnedKeyStore,
  userId: string,
  chain: readonly UserKeyStatement[],
  options: PinOptions,
): UserKeyStatement {
  const decision = decideUserKey(store.get(userId), userId, chain, options);
  switch (decision.action) {
    case 'refuse':
      throw decision.error;
    case 'pin':
    case 'advance':
      store.put(decision.pin);
      return decision.current;
    case 'accept':
      return decision.current;
  }
}

function isChainShape(userId: string, chain: readonly UserKeyStatement[]): boolean {
  return chain.every(
    (statement, index) =>
      statement.userId === userId &&
      (index === 0 || statement.version === (chain[index - 1]?.version ?? 0) + 1),
  );
}

/** Every statement from `from` on vouches for itself, and each after it follows from the one before. */
function linksHold(chain: readonly UserKeyStatement[], from: number): boolean {
  for (let index = from; index < chain.length; index += 1) {
    const statement = chain[index];
    if (statement === undefined || !selfSignatureHolds(statement)) return false;
    const previous = chain[index - 1];
    if (index > from && (previous === undefined || !followsFrom(previous, statement))) return false;
  }
  return true;
}

function refuse(
  userId: string,
  options: PinOptions,
  pinned: PinnedKey | undefined,
  current: UserKeyStatement | undefined,
  why: string,
): ContinuityDecision {
  const known = pinned === undefined ? 'none' : keyFingerprint(pinned.publicKey);
  const seen = current === undefined ? 'none' : keyFingerprint(current.signingPublicKey);
  return {
    action: 'refuse',
    error: new CofferError(
      'PINNED_KEY_MISMATCH',
      `The key the server handed for ${options.userLabel} ${why} (known ${known}, now ${seen}). ` +
        `Nothing was shared with it. If ${options.userLabel} reset their account, compare the key ` +
        'with them and re-verify it; otherwise the server may be trying to read your data.',
      { userId, pinnedFingerprint: known, seenFingerprint: seen },
    ),
  };
}

function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
