import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { lengthPrefixed, type LengthPrefixedPart } from './length-prefixed.js';
import {
  X25519_KEY_BYTES,
  generateX25519KeyPair,
  sharedSecret,
  type X25519KeyPair,
} from './x25519-key-pair.js';

/**
 * Seals a secret (a private key, a workspace key) to an X25519 public key, so only the holder
 * of the private half opens it. One sealed box is
 *
 *   version (1 byte) | ephemeral public key (32) | AES-256-GCM ciphertext | tag (16)
 *
 * A fresh ephemeral key pair per box; X25519 with the recipient; HKDF-SHA256 with both public
 * keys as salt and, as info, the purpose, the format version and the caller's context
 * (userId, workspaceId, key version ...), length-prefixed. The GCM key and nonce both come
 * from that HKDF, as in HPKE's base mode: each ephemeral key seals exactly one box, so the
 * pair is never used twice and there is no nonce to send.
 *
 * Everything a box means is bound into its key: opened for another purpose or context, by
 * another key, or with any byte changed, it fails the GCM tag, and open() reports
 * KEY_UNWRAP_FAILED — never a wrong secret.
 */
export const SEALED_BOX_VERSION = 1;
const HEADER_BYTES = 1 + X25519_KEY_BYTES;
const TAG_BYTES = 16;
const LABEL = 'coffer/sealed-box';

/** Caller-given context, e.g. { userId, workspaceId, keyVersion }; the order of names does not matter. */
export type SealContext = Readonly<Record<string, string | number>>;

export interface SealBinding {
  /** What the box is for, e.g. "coffer/user-key-to-device/v1": a box for one purpose opens for no other. */
  purpose: string;
  context: SealContext;
}

export function seal(plaintext: Buffer, recipientPublicKey: Buffer, binding: SealBinding): Buffer {
  const ephemeral = generateX25519KeyPair();
  const shared = sharedSecret(ephemeral.privateKey, recipientPublicKey);
  const { key, nonce } = deriveKey(shared, ephemeral.publicKey, recipientPublicKey, binding);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([
      Buffer.from([SEALED_BOX_VERSION]),
      ephemeral.publicKey,
      ciphertext,
      cipher.getAuthTag(),
    ]);
  } finally {
    key.fill(0);
  }
}

/** The secret in `box`; KEY_UNWRAP_FAILED when this key pair, purpose and context do not open it. */
export function open(box: Buffer, recipient: X25519KeyPair, binding: SealBinding): Buffer {
  if (box.length < HEADER_BYTES + TAG_BYTES) throw unwrapFailed('it is too short to be one');
  if (box[0] !== SEALED_BOX_VERSION) {
    throw unwrapFailed(
      `it is in format ${box[0]}, and this version of Coffer reads format ${SEALED_BOX_VERSION}`,
    );
  }
  const ephemeralPublicKey = box.subarray(1, HEADER_BYTES);
  let shared: Buffer;
  try {
    shared = sharedSecret(recipient.privateKey, ephemeralPublicKey);
  } catch {
    throw unwrapFailed('its ephemeral key is not a usable point');
  }
  const { key, nonce } = deriveKey(shared, ephemeralPublicKey, recipient.publicKey, binding);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(box.subarray(box.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(box.subarray(HEADER_BYTES, box.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw unwrapFailed(
      'it was sealed to another key or for another purpose or context, or it was altered',
    );
  } finally {
    key.fill(0);
  }
}

function deriveKey(
  shared: Buffer,
  ephemeralPublicKey: Buffer,
  recipientPublicKey: Buffer,
  binding: SealBinding,
): { key: Buffer; nonce: Buffer } {
  try {
    const salt = Buffer.concat([ephemeralPublicKey, recipientPublicKey]);
    const okm = Buffer.from(hkdfSync('sha256', shared, salt, info(binding), 32 + 12));
    return { key: okm.subarray(0, 32), nonce: okm.subarray(32) };
  } finally {
    shared.fill(0);
  }
}

/** HKDF info: label, version, purpose, then the context sorted by name, each value typed. */
function info(binding: SealBinding): Buffer {
  const parts: LengthPrefixedPart[] = [LABEL, SEALED_BOX_VERSION, binding.purpose];
  for (const name of Object.keys(binding.context).sort()) {
    const value = binding.context[name] as string | number;
    parts.push(name, typeof value, String(value));
  }
  const bytes = lengthPrefixed(parts);
  // Node's HKDF takes at most 1024 bytes of info; contexts are a few ids.
  if (bytes.length > 1024) throw new CofferError('INTERNAL', 'A seal context is too long.');
  return bytes;
}

function unwrapFailed(why: string): CofferError {
  return new CofferError('KEY_UNWRAP_FAILED', `A wrapped key could not be opened: ${why}.`);
}
