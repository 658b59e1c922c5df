import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A raw X25519 public key, base64url, as a client uploads it. */
export function publicKeyText(): string {
  const spki = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32).toString('base64url');
}

/** Random bytes the size of a sealed 32-byte key: the server only stores boxes. */
export function boxText(bytes = 81): string {
  return randomBytes(bytes).toString('base64url');
}

export function testUserKeyBody(version = 1) {
  return {
    version,
    publicKey: publicKeyText(),
    recoveryPublicKey: publicKeyText(),
    recoveryBlob: boxText(),
  };
}

/** One workspace key version sealed to one member; deterministic per user, so a retry is `same`. */
export function testWorkspaceKeyBody(userId: string, keyVersion = 1) {
  return {
    keyVersion,
    sealed: [
      { userId, userKeyVersion: 1, sealedKey: Buffer.alloc(81, keyVersion).toString('base64url') },
    ],
  };
}
