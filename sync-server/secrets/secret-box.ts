import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Encryption of server-side secrets at rest (email addresses, TOTP secrets) under the
 * master key, and keyed lookup hashes so a row can be found by email without storing it.
 *
 * Sealed format: `v1:<keyId>:<base64 nonce>:<base64 ciphertext+tag>`. AES-256-GCM with a
 * fresh random 12-byte nonce per value; the AAD binds the value to where it lives (e.g.
 * `email:<userId>`), so a sealed value copied to another row or column does not open.
 * The key id (derived from the master key, not secret) tells which key sealed a value.
 */
export interface SecretBox {
  /** Identifies the master key (16 hex chars); stored in server_meta to detect a wrong key file. */
  readonly keyId: string;
  seal(plaintext: string, aad: string): string;
  /** Throws SecretBoxError when the value was sealed under another key, AAD or was altered. */
  open(sealed: string, aad: string): string;
  /**
   * HMAC-SHA256 (hex) of `value` under a lookup subkey, domain-separated by `kind`.
   * For kind 'email' the value is normalised first (see normaliseEmail), so callers may
   * pass the address as typed.
   */
  lookupHash(kind: string, value: string): string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export const MASTER_KEY_BYTES = 32;
const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * trim + NFKC + lowercase, repeated until stable: one pass can yield text that changes
 * again (NFKC may produce leading spaces, lowercasing may produce decomposed letters), and
 * the same address must always hash the same.
 */
export function normaliseEmail(email: string): string {
  let current = email;
  for (let pass = 0; pass < 4; pass += 1) {
    const next = current.trim().normalize('NFKC').toLowerCase();
    if (next === current) return next;
    current = next;
  }
  return current;
}

function subkey(masterKey: Buffer, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, length));
}

export function keyIdOf(masterKey: Buffer): string {
  return subkey(masterKey, 'coffer-server key-id v1', 8).toString('hex');
}

class AesGcmSecretBox implements SecretBox {
  readonly keyId: string;
  private readonly sealKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== MASTER_KEY_BYTES) {
      throw new SecretBoxError(`The master key must be ${MASTER_KEY_BYTES} bytes.`);
    }
    this.keyId = keyIdOf(masterKey);
    this.sealKey = subkey(masterKey, 'coffer-server seal aes-256-gcm v1', 32);
    this.lookupKey = subkey(masterKey, 'coffer-server lookup hmac-sha256 v1', 32);
  }

  seal(plaintext: string, aad: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.associatedData(this.keyId, aad));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${VERSION}:${this.keyId}:${nonce.toString('base64')}:${body.toString('base64')}`;
  }

  open(sealed: string, aad: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new SecretBoxError('Not a sealed value of a known version.');
    }
    const [, keyId = '', nonceB64 = '', bodyB64 = ''] = parts;
    if (!this.sameKeyId(keyId)) {
      throw new SecretBoxError('The value was sealed under another master key.');
    }
    const nonce = Buffer.from(nonceB64, 'base64');
    const body = Buffer.from(bodyB64, 'base64');
    if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) {
      throw new SecretBoxError('The sealed value is malformed.');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, nonce, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(this.associatedData(keyId, aad));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (_error) {
      throw new SecretBoxError(
        'The sealed value does not open (wrong key, wrong place or altered).',
      );
    }
  }

  lookupHash(kind: string, value: string): string {
    const input = kind === 'email' ? normaliseEmail(value) : value;
    return createHmac('sha256', this.lookupKey)
      .update(`${kind.length}:${kind}:`, 'utf8')
      .update(input, 'utf8')
      .digest('hex');
  }

  private associatedData(keyId: string, aad: string): Buffer {
    return Buffer.from(`${VERSION}:${keyId}:${aad}`, 'utf8');
  }

  private sameKeyId(keyId: string): boolean {
    const a = Buffer.from(keyId, 'utf8');
    const b = Buffer.from(this.keyId, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

export function createSecretBox(masterKey: Buffer): SecretBox {
  return new AesGcmSecretBox(masterKey);
}
