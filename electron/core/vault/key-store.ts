import { CofferError } from '../../../shared/errors/coffer-error.js';

/** Length of a vault key: a raw AES-256 key handed to SQLCipher without a KDF. */
export const VAULT_KEY_BYTES = 32;

/**
 * A key store holds up to two keys per vault: the `current` key the database is encrypted
 * with, and, only while a rekey is in flight, the `next` key. Keeping both lets a crash
 * at any point of a rekey be recovered on the next open (see rekey.service.ts).
 */
export type KeySlot = 'current' | 'next';

/** Where a vault's key lives; recorded (non-secret) in vault.json. */
export type KeyStoreKind = 'keychain' | 'key-file' | 'memory';

export interface KeyStore {
  readonly kind: KeyStoreKind;
  /** Text a front end must show the user when this store is used (null when none). */
  readonly warning: string | null;
  get(vaultId: string, slot?: KeySlot): Promise<Buffer | null>;
  set(vaultId: string, key: Buffer, slot?: KeySlot): Promise<void>;
  /** Resolves true when a key was removed, false when there was none. */
  delete(vaultId: string, slot?: KeySlot): Promise<boolean>;
}

export function assertVaultKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== VAULT_KEY_BYTES) {
    throw new CofferError('INTERNAL', `A vault key must be exactly ${VAULT_KEY_BYTES} bytes.`);
  }
}

/** Keys are kept as lowercase hex text in stores that only hold strings. */
export function encodeKey(key: Buffer): string {
  assertVaultKey(key);
  return key.toString('hex');
}

const KEY_HEX = /^[0-9a-f]{64}$/;

export function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim().toLowerCase();
  if (!KEY_HEX.test(trimmed)) {
    // Never echo the stored text: it may be a damaged key.
    throw new CofferError('VAULT_KEY_INVALID', `The vault key stored in ${where} is malformed.`);
  }
  return Buffer.from(trimmed, 'hex');
}
