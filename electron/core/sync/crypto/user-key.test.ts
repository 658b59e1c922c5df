import { describe, expect, it } from 'vitest';
import { accountRecoveryKeyPair, generateAccountRecoverySecret } from './account-recovery-key.js';
import { errorOf, flipByte } from './test-fixtures/crypto-test-support.js';
import { rotateUserKey } from './user-key-rotation.js';
import {
  generateUserKey,
  openUserKeyOnDevice,
  openUserKeyWithRecovery,
  sealUserKeyToDevice,
  sealUserKeyToRecovery,
  type UserKeyLabel,
} from './user-key.js';
import { exportPrivateKeyRaw, generateX25519KeyPair } from './x25519-key-pair.js';

const USER = 'u-alice';

function setup() {
  const userKey = generateUserKey(USER);
  const laptop = generateX25519KeyPair();
  const desktop = generateX25519KeyPair();
  const recoverySecret = generateAccountRecoverySecret();
  const recovery = accountRecoveryKeyPair(recoverySecret, USER);
  const label: UserKeyLabel = { userId: USER, version: 1, publicKey: userKey.pair.publicKey };
  return { userKey, laptop, desktop, recoverySecret, recovery, label };
}

function samePrivate(a: ReturnType<typeof generateUserKey>, b: ReturnType<typeof generateUserKey>) {
  return exportPrivateKeyRaw(a.pair.privateKey).equals(exportPrivateKeyRaw(b.pair.privateKey));
}

describe('user key wrapped to devices and to the Account Recovery Key', () => {
  it('opens on each device it was sealed to', () => {
    const { userKey, laptop, desktop, label } = setup();
    for (const [id, device] of [
      ['laptop', laptop],
      ['desktop', desktop],
    ] as const) {
      const sealed = sealUserKeyToDevice(userKey, id, device.publicKey);
      const opened = openUserKeyOnDevice(sealed, id, device, label);
      expect(samePrivate(opened, userKey)).toBe(true);
      expect(opened).toMatchObject({ userId: USER, version: 1 });
    }
  });

  it('opens with the Recovery Key re-derived from its secret on a new device', () => {
    const { userKey, recoverySecret, label, recovery } = setup();
    const sealed = sealUserKeyToRecovery(userKey, recovery.publicKey); // no secret needed to seal
    const again = accountRecoveryKeyPair(Buffer.from(recoverySecret), USER);
    expect(samePrivate(openUserKeyWithRecovery(sealed, again, label), userKey)).toBe(true);
  });

  it('opens on no other device, under no other device id, and never as a recovery wrap', () => {
    const { userKey, laptop, desktop, label, recovery } = setup();
    const sealed = sealUserKeyToDevice(userKey, 'laptop', laptop.publicKey);
    errorOf(() => openUserKeyOnDevice(sealed, 'laptop', desktop, label), 'KEY_UNWRAP_FAILED');
    errorOf(() => openUserKeyOnDevice(sealed, 'desktop', laptop, label), 'KEY_UNWRAP_FAILED');
    const toRecovery = sealUserKeyToRecovery(userKey, recovery.publicKey);
    // Sealed to the laptop's key, purpose "recovery": the purposes are not interchangeable.
    const crossed = sealUserKeyToRecovery(userKey, laptop.publicKey);
    errorOf(() => openUserKeyOnDevice(crossed, 'laptop', laptop, label), 'KEY_UNWRAP_FAILED');
    errorOf(() => openUserKeyOnDevice(toRecovery, 'laptop', recovery, label), 'KEY_UNWRAP_FAILED');
  });

  it('refuses another Recovery Key or another user', () => {
    const { userKey, label, recovery, recoverySecret } = setup();
    const sealed = sealUserKeyToRecovery(userKey, recovery.publicKey);
    const wrongSecret = flipByte(recoverySecret, 5);
    errorOf(
      () => openUserKeyWithRecovery(sealed, accountRecoveryKeyPair(wrongSecret, USER), label),
      'KEY_UNWRAP_FAILED',
    );
    errorOf(
      () => openUserKeyWithRecovery(sealed, accountRecoveryKeyPair(recoverySecret, 'u-bob'), label),
      'KEY_UNWRAP_FAILED',
    );
    errorOf(
      () => openUserKeyWithRecovery(sealed, recovery, { ...label, userId: 'u-bob' }),
      'KEY_UNWRAP_FAILED',
    );
  });

  it('refuses a label naming another version or another public key', () => {
    const { userKey, laptop, label } = setup();
    const sealed = sealUserKeyToDevice(userKey, 'laptop', laptop.publicKey);
    errorOf(
      () => openUserKeyOnDevice(sealed, 'laptop', laptop, { ...label, version: 2 }),
      'KEY_UNWRAP_FAILED',
    );
    const otherPublic = generateX25519KeyPair().publicKey;
    errorOf(
      () => openUserKeyOnDevice(sealed, 'laptop', laptop, { ...label, publicKey: otherPublic }),
      'KEY_UNWRAP_FAILED',
    );
    errorOf(
      () => openUserKeyOnDevice(sealed, 'laptop', laptop, { ...label, version: 0 }),
      'INVALID_INPUT',
    );
  });

  it('refuses a sealed user key with any byte changed', () => {
    const { userKey, laptop, label } = setup();
    const sealed = sealUserKeyToDevice(userKey, 'laptop', laptop.publicKey);
    for (let i = 0; i < sealed.length; i++) {
      errorOf(
        () => openUserKeyOnDevice(flipByte(sealed, i), 'laptop', laptop, label),
        'KEY_UNWRAP_FAILED',
      );
    }
  });

  it('rotates to a new version that the remaining devices and the Recovery Key open, and the revoked device does not', () => {
    const { userKey, laptop, desktop, recovery, label } = setup();
    const oldOnDesktop = sealUserKeyToDevice(userKey, 'desktop', desktop.publicKey);
    // The desktop is revoked: version 2 is sealed to the laptop and the Recovery Key only.
    const rotation = rotateUserKey(
      userKey,
      [{ deviceId: 'laptop', publicKey: laptop.publicKey }],
      recovery.publicKey,
    );
    const next = rotation.userKey;
    expect(next.version).toBe(2);
    expect(next.pair.publicKey.equals(userKey.pair.publicKey)).toBe(false);
    expect(rotation.toDevices.map((d) => d.deviceId)).toEqual(['laptop']);
    const nextLabel: UserKeyLabel = { userId: USER, version: 2, publicKey: next.pair.publicKey };
    const onLaptop = rotation.toDevices[0]?.sealed as Buffer;
    expect(samePrivate(openUserKeyOnDevice(onLaptop, 'laptop', laptop, nextLabel), next)).toBe(
      true,
    );
    expect(
      samePrivate(openUserKeyWithRecovery(rotation.toRecovery, recovery, nextLabel), next),
    ).toBe(true);
    errorOf(
      () => openUserKeyOnDevice(onLaptop, 'desktop', desktop, nextLabel),
      'KEY_UNWRAP_FAILED',
    );
    errorOf(() => openUserKeyOnDevice(onLaptop, 'laptop', desktop, nextLabel), 'KEY_UNWRAP_FAILED');
    errorOf(
      () => openUserKeyWithRecovery(rotation.toRecovery, desktop, nextLabel),
      'KEY_UNWRAP_FAILED',
    );
    // The revoked device still holds the old version, and only that.
    expect(samePrivate(openUserKeyOnDevice(oldOnDesktop, 'desktop', desktop, label), userKey)).toBe(
      true,
    );
    errorOf(
      () =>
        rotateUserKey(
          userKey,
          [
            { deviceId: 'laptop', publicKey: laptop.publicKey },
            { deviceId: 'laptop', publicKey: desktop.publicKey },
          ],
          recovery.publicKey,
        ),
      'INVALID_INPUT',
    );
  });
});
