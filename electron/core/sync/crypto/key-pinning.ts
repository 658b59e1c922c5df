import { createHash, timingSafeEqual } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { PinnedKey, PinnedKeyStore } from './pinned-key-store.js';

/**
 * Trust on first use for members' user public keys. The server hands out the public keys
 * workspace keys are sealed to; a malicious or compromised server could hand out its own
 * and read everything sealed to it. So the first key seen for a user is remembered, and a
 * different one later is refused — with a message naming the user — until the user confirms
 * the new key with its owner and re-verifies it explicitly.
 */
export interface SeenKey {
  userId: string;
  publicKey: Buffer;
}

export type PinDecision =
  | { action: 'pin'; pin: PinnedKey } // first key seen for this user: remember it
  | { action: 'accept' } // the key we remember
  | { action: 'repin'; pin: PinnedKey } // a different key the user has just re-verified
  | { action: 'refuse'; error: CofferError };

export interface PinOptions {
  /** How the user knows this member (name or email), for the warning. */
  userLabel: string;
  /** The user has confirmed this key with its owner, e.g. by comparing fingerprints. */
  reverified?: boolean;
  nowMs: number;
}

/** The pure decision; applyPin() below carries it out against a store. */
export function decidePin(
  pinned: PinnedKey | undefined,
  seen: SeenKey,
  options: PinOptions,
): PinDecision {
  if (pinned !== undefined && pinned.userId !== seen.userId) {
    throw new CofferError('INTERNAL', 'A pinned key was looked up for another user.');
  }
  const verifiedAtMs = options.reverified === true ? options.nowMs : null;
  if (pinned === undefined) {
    return {
      action: 'pin',
      pin: {
        userId: seen.userId,
        publicKey: Buffer.from(seen.publicKey),
        firstSeenAtMs: options.nowMs,
        verifiedAtMs,
      },
    };
  }
  if (sameKey(pinned.publicKey, seen.publicKey)) return { action: 'accept' };
  if (options.reverified === true) {
    return {
      action: 'repin',
      pin: {
        userId: seen.userId,
        publicKey: Buffer.from(seen.publicKey),
        firstSeenAtMs: options.nowMs,
        verifiedAtMs,
      },
    };
  }
  return {
    action: 'refuse',
    error: new CofferError(
      'PINNED_KEY_MISMATCH',
      `The server handed a different key for ${options.userLabel} than the one this device saw first ` +
        `(known ${keyFingerprint(pinned.publicKey)}, now ${keyFingerprint(seen.publicKey)}). Nothing was ` +
        `shared with the new key. If ${options.userLabel} reset their account, compare the key with them ` +
        'and re-verify it; otherwise the server may be trying to read your data.',
      {
        userId: seen.userId,
        pinnedFingerprint: keyFingerprint(pinned.publicKey),
        seenFingerprint: keyFingerprint(seen.publicKey),
      },
    ),
  };
}

/** The key to use for `seen.userId`: records a first or re-verified key, throws PINNED_KEY_MISMATCH. */
export function applyPin(store: PinnedKeyStore, seen: SeenKey, options: PinOptions): Buffer {
  const decision = decidePin(store.get(seen.userId), seen, options);
  switch (decision.action) {
    case 'refuse':
      throw decision.error;
    case 'pin':
    case 'repin':
      store.put(decision.pin);
      return Buffer.from(decision.pin.publicKey);
    case 'accept':
      return Buffer.from(seen.publicKey);
  }
}

/** A short, public name for a key that two people can read to each other: 64 bits of SHA-256. */
export function keyFingerprint(publicKey: Buffer): string {
  const hex = createHash('sha256')
    .update('coffer/key-fingerprint/v1')
    .update(publicKey)
    .digest('hex');
  return hex.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ');
}

function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
