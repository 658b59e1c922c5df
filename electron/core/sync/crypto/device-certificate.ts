import { lengthPrefixed } from './length-prefixed.js';
import type { UserKey } from './user-key.js';
import { signWith, userSigningKey, verifySignature } from './user-signing-key.js';

/**
 * A device key vouched for by the user key: the signing key of one user key version signs
 * (userId, that version, the device's session id, its public key). The device makes its own
 * certificate when it enrols (it has just opened the user key), and the device that rotates
 * the user key signs one for each remaining device under the new version. A rotation seals
 * the next user key only to devices whose certificate holds, so a device key the server adds
 * to the list gets nothing.
 */
export interface CertifiedDevice {
  deviceId: string;
  publicKey: Buffer;
}

const PURPOSE = 'coffer/device-certificate/v1';

export function certifyDevice(userKey: UserKey, device: CertifiedDevice): Buffer {
  return signWith(
    userSigningKey(userKey),
    certificateBytes(userKey.userId, userKey.version, device),
  );
}

/** The certificate was made by the holder of `userKey` (the version the device holds now). */
export function deviceCertificateHolds(
  userKey: UserKey,
  device: CertifiedDevice,
  certificate: Buffer,
): boolean {
  return verifySignature(
    userSigningKey(userKey).publicKey,
    certificateBytes(userKey.userId, userKey.version, device),
    certificate,
  );
}

function certificateBytes(userId: string, version: number, device: CertifiedDevice): Buffer {
  return lengthPrefixed([PURPOSE, userId, version, device.deviceId, device.publicKey]);
}
