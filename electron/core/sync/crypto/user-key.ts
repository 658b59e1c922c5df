import { timingSafeEqual } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { assertKeyVersion } from './key-version.js';
import { open, seal, type SealBinding } from './sealed-box.js';
import {
  exportPrivateKeyRaw,
  generateX25519KeyPair,
  importPrivateKey,
  type X25519KeyPair,
} from './x25519-key-pair.js';

/**
 * A user's key pair: what workspace keys are wrapped to. Its public half is what the server
 * keeps and other members pin; its private half travels only sealed — to each of the user's
 * devices (their device public keys) and to the Account Recovery Key's public key. Versioned,
 * since revoking a device replaces it (version n+1, sealed to the remaining devices and the
 * Recovery Key).
 */
export interface UserKey {
  userId: string;
  version: number;
  pair: X25519KeyPair;
}

/** Who a sealed user key is for and which key it must turn out to be. */
export interface UserKeyLabel {
  userId: string;
  version: number;
  /** Raw public key the opened private key must match (as the server lists it, pinned). */
  publicKey: Buffer;
}

const TO_DEVICE = 'coffer/user-key-to-device/v1';
const TO_RECOVERY = 'coffer/user-key-to-account-recovery/v1';

export function generateUserKey(userId: string, version = 1): UserKey {
  assertKeyVersion(version);
  return { userId, version, pair: generateX25519KeyPair() };
}

export function sealUserKeyToDevice(
  userKey: UserKey,
  deviceId: string,
  devicePublicKey: Buffer,
): Buffer {
  return sealUserKey(userKey, devicePublicKey, toDevice(label(userKey), deviceId));
}

export function openUserKeyOnDevice(
  sealed: Buffer,
  deviceId: string,
  device: X25519KeyPair,
  expected: UserKeyLabel,
): UserKey {
  return openUserKey(sealed, device, toDevice(expected, deviceId), expected);
}

export function sealUserKeyToRecovery(userKey: UserKey, recoveryPublicKey: Buffer): Buffer {
  return sealUserKey(userKey, recoveryPublicKey, toRecovery(label(userKey)));
}

export function openUserKeyWithRecovery(
  sealed: Buffer,
  recovery: X25519KeyPair,
  expected: UserKeyLabel,
): UserKey {
  return openUserKey(sealed, recovery, toRecovery(expected), expected);
}

function sealUserKey(userKey: UserKey, recipient: Buffer, binding: SealBinding): Buffer {
  const raw = exportPrivateKeyRaw(userKey.pair.privateKey);
  try {
    return seal(raw, recipient, binding);
  } finally {
    raw.fill(0);
  }
}

function openUserKey(
  sealed: Buffer,
  recipient: X25519KeyPair,
  binding: SealBinding,
  expected: UserKeyLabel,
): UserKey {
  const raw = open(sealed, recipient, binding);
  try {
    const pair = importPrivateKey(raw);
    // The public key is in the binding, so a box whose tag passes holds its private half; the
    // check stays so that a wrong label can never yield a key other than the one asked for.
    if (!sameKey(pair.publicKey, expected.publicKey)) {
      throw new CofferError(
        'KEY_UNWRAP_FAILED',
        'A wrapped user key opened to a key other than the one the server lists for this user.',
      );
    }
    return { userId: expected.userId, version: expected.version, pair };
  } catch (error) {
    if (error instanceof CofferError && error.code === 'KEY_INVALID') {
      throw new CofferError('KEY_UNWRAP_FAILED', 'A wrapped user key holds no usable key.');
    }
    throw error;
  } finally {
    raw.fill(0);
  }
}

function label(userKey: UserKey): UserKeyLabel {
  return { userId: userKey.userId, version: userKey.version, publicKey: userKey.pair.publicKey };
}

function toDevice(key: UserKeyLabel, deviceId: string): SealBinding {
  assertKeyVersion(key.version);
  return {
    purpose: TO_DEVICE,
    context: {
      userId: key.userId,
      userKeyVersion: key.version,
      userPublicKey: key.publicKey.toString('base64url'),
      deviceId,
    },
  };
}

function toRecovery(key: UserKeyLabel): SealBinding {
  assertKeyVersion(key.version);
  return {
    purpose: TO_RECOVERY,
    context: {
      userId: key.userId,
      userKeyVersion: key.version,
      userPublicKey: key.publicKey.toString('base64url'),
    },
  };
}

function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
