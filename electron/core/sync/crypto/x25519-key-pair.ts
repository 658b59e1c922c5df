import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';

/**
 * X25519 key pairs as Coffer stores and sends them: the public half as its raw 32 bytes
 * (what the server keeps and other members pin), the private half as a KeyObject in memory
 * and as raw 32 bytes or PKCS#8 when it goes into a vault. Device keys and user keys are both
 * of this kind.
 */
export interface X25519KeyPair {
  /** Raw 32-byte X25519 public key (RFC 7748). */
  publicKey: Buffer;
  privateKey: KeyObject;
}

export const X25519_KEY_BYTES = 32;
// DER prefixes of a raw X25519 key in PKCS#8 and SPKI form (RFC 8410).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export function generateX25519KeyPair(): X25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublicKey(publicKey) };
}

/** The private key as 32 raw bytes, for storage in the vault. The caller wipes the copy. */
export function exportPrivateKeyRaw(privateKey: KeyObject): Buffer {
  return exportPrivateKeyPkcs8(privateKey).subarray(PKCS8_X25519.length);
}

/** The private key as PKCS#8 DER (RFC 8410), which any X25519 tool reads. */
export function exportPrivateKeyPkcs8(privateKey: KeyObject): Buffer {
  assertX25519(privateKey, 'private');
  return privateKey.export({ format: 'der', type: 'pkcs8' });
}

/** A key pair from a stored private key, raw (32 bytes) or PKCS#8 DER; the public half is derived. */
export function importPrivateKey(bytes: Buffer): X25519KeyPair {
  let der: Buffer;
  if (bytes.length === X25519_KEY_BYTES) der = Buffer.concat([PKCS8_X25519, bytes]);
  else if (bytes.length === PKCS8_X25519.length + X25519_KEY_BYTES) der = Buffer.from(bytes);
  else throw new CofferError('KEY_INVALID', 'A stored private key has the wrong length.');
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    assertX25519(privateKey, 'private');
    return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
  } catch (error) {
    if (error instanceof CofferError) throw error;
    throw new CofferError('KEY_INVALID', 'A stored private key is not an X25519 key.');
  } finally {
    der.fill(0);
  }
}

/**
 * A raw public key as a KeyObject; KEY_INVALID unless it is 32 bytes and a point that a key
 * agreement can use. Low-order points (all-zero and friends) would make every shared secret
 * the same known value, so they are refused here rather than at first use.
 */
export function importPublicKey(raw: Buffer): KeyObject {
  if (raw.length !== X25519_KEY_BYTES) {
    throw new CofferError('KEY_INVALID', `An X25519 public key is ${X25519_KEY_BYTES} bytes.`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
    // OpenSSL refuses an all-zero shared secret, which is what every low-order point yields.
    diffieHellman({ privateKey: probeKey(), publicKey: key }).fill(0);
  } catch {
    throw new CofferError('KEY_INVALID', 'An X25519 public key is not a usable point.');
  }
  return key;
}

/** The X25519 shared secret of our private key and their raw public key. The caller wipes it. */
export function sharedSecret(privateKey: KeyObject, theirPublicKey: Buffer): Buffer {
  const publicKey = importPublicKey(theirPublicKey);
  try {
    return diffieHellman({ privateKey, publicKey });
  } catch {
    throw new CofferError('KEY_INVALID', 'The key agreement failed.');
  }
}

export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length);
}

function assertX25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'x25519') {
    throw new CofferError('KEY_INVALID', `Not an X25519 ${type} key.`);
  }
}

let probe: KeyObject | undefined;
function probeKey(): KeyObject {
  probe ??= generateKeyPairSync('x25519').privateKey;
  return probe;
}
