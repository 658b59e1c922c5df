import { createCipheriv, createDecipheriv } from 'node:crypto';

import { CofferError } from '../../../shared/errors/coffer-error.js';
import { pad, unpad } from './crypto/padme.js';
import { randomNonce, NONCE_BYTES } from './crypto/random-nonce.js';

const AAD = Buffer.from('coffer/workspace-name/v1');
const TAG_BYTES = 16;

/**
 * A workspace's name as the server keeps it (`nameBlob`): AES-256-GCM under version 1 of the
 * workspace key, PADMÉ-padded, as nonce ‖ ciphertext ‖ tag in standard base64. The server
 * never sees the name; members open it with the workspace key.
 */
export function sealWorkspaceName(name: string, key: Buffer): string {
  const nonce = randomNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(pad(Buffer.from(name, 'utf8'))), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

export function openWorkspaceName(blob: string, key: Buffer): string {
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) {
    throw new CofferError('CHANGE_DECRYPT_FAILED', "The workspace's name does not decrypt.");
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const padded = Buffer.concat([
      decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return unpad(padded).toString('utf8');
  } catch {
    throw new CofferError('CHANGE_DECRYPT_FAILED', "The workspace's name does not decrypt.");
  }
}
