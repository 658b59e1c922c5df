import { CofferError } from '../../../../shared/errors/coffer-error.js';
import {
  generateUserKey,
  sealUserKeyToDevice,
  sealUserKeyToRecovery,
  type UserKey,
} from './user-key.js';
import { makeUserKeyStatement, type UserKeyStatement } from './user-key-statement.js';

export interface DevicePublicKey {
  deviceId: string;
  publicKey: Buffer;
}

export interface UserKeyRotation {
  userKey: UserKey;
  /** One sealed copy per remaining device, to upload. */
  toDevices: { deviceId: string; sealed: Buffer }[];
  /** The copy for the Account Recovery Key, sealed to its public half (no secret needed). */
  toRecovery: Buffer;
  /** The new version's public keys, signed by itself and by `current`: members take it on that proof. */
  statement: UserKeyStatement;
}

/**
 * The user key that follows `current` when one of the user's devices is revoked: version n+1,
 * sealed to the devices that remain and to the Account Recovery Key's public key. The revoked
 * device keeps the old version, and the caller then rotates the keys of the user's
 * workspaces (rotateWorkspaceKey), since the old user key opens their current versions.
 */
export function rotateUserKey(
  current: UserKey,
  remainingDevices: readonly DevicePublicKey[],
  recoveryPublicKey: Buffer,
): UserKeyRotation {
  if (new Set(remainingDevices.map((d) => d.deviceId)).size !== remainingDevices.length) {
    throw new CofferError('INVALID_INPUT', 'A device is listed twice for the new user key.');
  }
  const userKey = generateUserKey(current.userId, current.version + 1);
  return {
    userKey,
    toDevices: remainingDevices.map((device) => ({
      deviceId: device.deviceId,
      sealed: sealUserKeyToDevice(userKey, device.deviceId, device.publicKey),
    })),
    toRecovery: sealUserKeyToRecovery(userKey, recoveryPublicKey),
    statement: makeUserKeyStatement(userKey, current, recoveryPublicKey),
  };
}
