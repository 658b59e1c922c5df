import { describe, expect, it } from 'vitest';
import { certifyDevice, deviceCertificateHolds } from './device-certificate.js';
import { flipByte } from './test-fixtures/crypto-test-support.js';
import { generateUserKey } from './user-key.js';
import { generateX25519KeyPair } from './x25519-key-pair.js';

describe('device certificates', () => {
  it('hold for the device the user key signed, and for nothing else', () => {
    const userKey = generateUserKey('u-ann', 3);
    const laptop = { deviceId: 's-laptop', publicKey: generateX25519KeyPair().publicKey };
    const certificate = certifyDevice(userKey, laptop);
    expect(deviceCertificateHolds(userKey, laptop, certificate)).toBe(true);

    // A key the server slips in under the laptop's id, another id, a flipped byte, another
    // user key version or another user's key: all refused.
    const serverKey = generateX25519KeyPair().publicKey;
    expect(deviceCertificateHolds(userKey, { ...laptop, publicKey: serverKey }, certificate)).toBe(
      false,
    );
    expect(deviceCertificateHolds(userKey, { ...laptop, deviceId: 's-other' }, certificate)).toBe(
      false,
    );
    expect(deviceCertificateHolds(userKey, laptop, flipByte(certificate, 0))).toBe(false);
    expect(deviceCertificateHolds(generateUserKey('u-ann', 4), laptop, certificate)).toBe(false);
    expect(deviceCertificateHolds(userKey, laptop, Buffer.alloc(12))).toBe(false);
  });
});
