import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { assertVaultKey } from './key-store.js';
import { RECOVERY_SECRET_BYTES } from './recovery-key.js';

/**
 * Wraps vault keys to the Vault Recovery Key. A key rotation must re-wrap the new key with
 * no Recovery Key at hand, so the wrap is asymmetric:
 *
 * - the Recovery Key (160 random bits) becomes an X25519 key pair through HKDF-SHA256 bound
 *   to the vault id; no slow KDF is needed, as the input is not a password. Only the public
 *   half is kept, in vault.json.
 * - each vault key is sealed to that public key: an ephemeral X25519 key agreement, HKDF-SHA256
 *   over the shared secret and both public keys, then AES-256-GCM with the vault id, the key's
 *   generation and its id as associated data, so a wrap cannot be moved to another vault or
 *   passed off as another key.
 *
 * A wrong Recovery Key derives another private key and fails the GCM tag: nothing else about
 * the vault key leaks from vault.json.
 */
export const RECOVERY_SCHEME = 'x25519-hkdf-sha256-aes-256-gcm';

const PAIR_INFO = 'coffer/vault-recovery/x25519/v1';
const WRAP_INFO = 'coffer/vault-key-wrap/v1';
const KEY_ID_LABEL = 'coffer/vault-key-id/v1';
// DER prefixes of a raw X25519 key in PKCS#8 and SPKI form (RFC 8410).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

const B64URL = /^[A-Za-z0-9_-]+$/;
export const WrappedKeySchema = z.object({
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  generation: z.number().int().positive(),
  ephemeralPublicKey: z.string().regex(B64URL),
  nonce: z.string().regex(B64URL),
  ciphertext: z.string().regex(B64URL),
  tag: z.string().regex(B64URL),
});
export type WrappedKey = z.infer<typeof WrappedKeySchema>;

/**
 * A short public name for a vault key: HMAC-SHA256 keyed by the key itself. It tells which
 * wrap in vault.json belongs to the key a connection is under, and reveals nothing usable:
 * the database file already lets anyone test a guessed 256-bit key.
 */
export function vaultKeyId(vaultKey: Buffer): string {
  assertVaultKey(vaultKey);
  return createHmac('sha256', vaultKey)
    .update(KEY_ID_LABEL)
    .digest()
    .subarray(0, 16)
    .toString('hex');
}

export interface RecoveryKeyPair {
  privateKey: KeyObject;
  /** Raw 32-byte X25519 public key. */
  publicKey: Buffer;
}

/** The X25519 key pair a Recovery Key stands for, in this vault. */
export function recoveryKeyPair(secret: Buffer, vaultId: string): RecoveryKeyPair {
  if (secret.length !== RECOVERY_SECRET_BYTES) {
    throw new CofferError('INTERNAL', 'A recovery secret has the wrong length.');
  }
  const scalar = Buffer.from(hkdfSync('sha256', secret, vaultId, PAIR_INFO, 32));
  try {
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_X25519, scalar]),
      format: 'der',
      type: 'pkcs8',
    });
    return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
  } finally {
    scalar.fill(0);
  }
}

/** Seals `vaultKey` to the recovery public key. */
export function wrapVaultKey(
  vaultKey: Buffer,
  recoveryPublicKey: Buffer,
  vaultId: string,
  generation: number,
): WrappedKey {
  assertVaultKey(vaultKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublicKey = rawPublicKey(ephemeral.publicKey);
  const kek = keyEncryptionKey(
    diffieHellman({
      privateKey: ephemeral.privateKey,
      publicKey: publicKeyObject(recoveryPublicKey),
    }),
    ephemeralPublicKey,
    recoveryPublicKey,
  );
  const keyId = vaultKeyId(vaultKey);
  const nonce = randomBytes(12);
  try {
    const cipher = createCipheriv('aes-256-gcm', kek, nonce);
    cipher.setAAD(associatedData(vaultId, generation, keyId));
    const ciphertext = Buffer.concat([cipher.update(vaultKey), cipher.final()]);
    return {
      keyId,
      generation,
      ephemeralPublicKey: ephemeralPublicKey.toString('base64url'),
      nonce: nonce.toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
    };
  } finally {
    kek.fill(0);
  }
}

/** The vault key in `wrapped`, or null when this recovery key pair does not open it. */
export function unwrapVaultKey(
  wrapped: WrappedKey,
  pair: RecoveryKeyPair,
  vaultId: string,
): Buffer | null {
  const ephemeralPublicKey = Buffer.from(wrapped.ephemeralPublicKey, 'base64url');
  let shared: Buffer;
  try {
    shared = diffieHellman({
      privateKey: pair.privateKey,
      publicKey: publicKeyObject(ephemeralPublicKey),
    });
  } catch {
    return null; // not a usable X25519 point: a damaged wrap opens nothing
  }
  const kek = keyEncryptionKey(shared, ephemeralPublicKey, pair.publicKey);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.nonce, 'base64url'));
    decipher.setAAD(associatedData(vaultId, wrapped.generation, wrapped.keyId));
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64url'));
    const key = Buffer.concat([
      decipher.update(Buffer.from(wrapped.ciphertext, 'base64url')),
      decipher.final(),
    ]);
    if (key.length !== 32 || vaultKeyId(key) !== wrapped.keyId) {
      key.fill(0);
      return null;
    }
    return key;
  } catch {
    return null; // the GCM tag: another Recovery Key, or a wrap that was altered
  } finally {
    kek.fill(0);
  }
}

function keyEncryptionKey(shared: Buffer, ephemeralPublicKey: Buffer, recipient: Buffer): Buffer {
  try {
    return Buffer.from(
      hkdfSync('sha256', shared, Buffer.concat([ephemeralPublicKey, recipient]), WRAP_INFO, 32),
    );
  } finally {
    shared.fill(0);
  }
}

function associatedData(vaultId: string, generation: number, keyId: string): Buffer {
  return Buffer.from(JSON.stringify([WRAP_INFO, vaultId, generation, keyId]), 'utf8');
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length);
}

function publicKeyObject(raw: Buffer): KeyObject {
  if (raw.length !== 32)
    throw new CofferError('VAULT_CORRUPT', 'A recovery public key is damaged.');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
}
