import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { Change } from '../../../../shared/sync/change.js';
import type { ChangeEnvelope } from '../../../../shared/sync/change-envelope.js';
import { canonicalJson } from './canonical-json.js';
import { lengthPrefixed } from './length-prefixed.js';
import { pad, unpad } from './padme.js';
import { NONCE_BYTES } from './random-nonce.js';
import type { WorkspaceKey } from './workspace-key.js';
import type { WorkspaceKeyring } from './workspace-keyring.js';
import { checkRemoteChange, type RemoteChange } from '../remote-change-shape.js';

/**
 * Encrypts a change for the server and opens one from it. The envelope keeps in the clear
 * only what the server needs (id, collection, keyVersion); the rest of the change — op,
 * recordId, fields, base, hlc, deviceId — is canonical JSON, PADMÉ-padded so its length says
 * little about amounts or names, then AES-256-GCM under the workspace key. The associated
 * data binds the workspace id and every clear label, length-prefixed, so an envelope moved to
 * another workspace, or whose id, collection or key version was changed, fails its tag and is
 * refused, never applied.
 *
 * The nonce is synthetic (as in SIV): the first 96 bits of HMAC-SHA256, under a key HKDF
 * derives from the workspace key, over the associated data and the padded plaintext. The same
 * change under the same key therefore encrypts to the same bytes, which is what lets a device
 * whose push answer was lost push it again: the server's log is idempotent by change id only
 * for identical bytes, and would refuse a re-encryption as CHANGE_ID_CONFLICT. Different
 * changes (a change id is in the associated data) get nonces that look random to anyone
 * without the key, so the bound below is the random-nonce bound.
 *
 * The per-key bound: two different changes under one key with the same nonce would expose
 * both plaintexts' XOR and GCM's authentication key. With q pseudorandom 96-bit nonces the
 * chance of any repeat is about q² / 2^97; NIST SP 800-38D caps a key at 2^32 such messages
 * (chance 2^-33). Coffer rotates the workspace key long before: keyVersionNeedsRotation says
 * so after 2^24 changes under one version (chance below 2^-49), besides every rotation a
 * removed member or revoked device causes.
 */
const TAG_BYTES = 16;
const AAD_LABEL = 'coffer/change/v1';
export const ROTATE_AFTER_CHANGES = 2 ** 24;

export function keyVersionNeedsRotation(changesUnderVersion: number): boolean {
  return changesUnderVersion >= ROTATE_AFTER_CHANGES;
}

export function encryptChange(change: Change, key: WorkspaceKey): ChangeEnvelope {
  const aad = associatedData(key.workspaceId, change.id, change.collection, key.version);
  const padded = pad(Buffer.from(canonicalJson(changeBody(change)), 'utf8'));
  const nonce = syntheticNonce(key, aad, padded);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final(), cipher.getAuthTag()]);
  padded.fill(0);
  return {
    id: change.id,
    collection: change.collection,
    keyVersion: key.version,
    nonce: nonce.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
}

/**
 * The change inside `envelope`, which the server says belongs to `keyring`'s workspace.
 * KEY_VERSION_UNKNOWN when this device holds no such key version; CHANGE_DECRYPT_FAILED when
 * the tag fails (a label, the nonce or the ciphertext altered, or another workspace's
 * envelope); PADDING_INVALID or INVALID_INPUT when authentic bytes are not a change this
 * version writes.
 */
export function decryptChange(envelope: ChangeEnvelope, keyring: WorkspaceKeyring): RemoteChange {
  const key = keyring.get(envelope.keyVersion);
  const nonce = Buffer.from(envelope.nonce, 'base64url');
  const sealed = Buffer.from(envelope.ciphertext, 'base64url');
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) {
    throw decryptFailed(envelope, 'its nonce or ciphertext is cut short');
  }
  let padded: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, nonce);
    decipher.setAAD(
      associatedData(keyring.workspaceId, envelope.id, envelope.collection, envelope.keyVersion),
    );
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    padded = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    // GCM releases nothing at final(); it checks the tag, and throws when it fails.
    const rest = decipher.final();
    if (rest.length > 0) padded = Buffer.concat([padded, rest]);
  } catch {
    // Bytes that failed their tag are not kept, even in memory that is about to be freed.
    padded?.fill(0);
    throw decryptFailed(
      envelope,
      'it was altered (its labels, nonce or ciphertext) or belongs to another workspace',
    );
  }
  try {
    const body = JSON.parse(unpad(padded).toString('utf8')) as unknown;
    if (
      typeof body !== 'object' ||
      body === null ||
      Array.isArray(body) ||
      'id' in body ||
      'collection' in body
    ) {
      throw new CofferError('INVALID_INPUT', 'A decrypted change body is not a change.');
    }
    // The shape a remote change may have: a collection this version does not know is still
    // a change, kept by the applier until an upgrade knows it.
    const shape = checkRemoteChange({ ...body, id: envelope.id, collection: envelope.collection });
    if (!shape.ok) throw new CofferError('INVALID_INPUT', shape.message);
    return shape.change;
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new CofferError('INVALID_INPUT', 'A decrypted change body is not JSON.');
    }
    throw error;
  } finally {
    padded.fill(0);
  }
}

const NONCE_KEY_INFO = 'coffer/change-nonce/v1';
/** Per workspace key, the HMAC key its nonces come from; dropped with the key. */
const nonceKeys = new WeakMap<Buffer, Buffer>();

/** HMAC-SHA256 over the associated data (length-prefixed, so unambiguous) and the padded body. */
function syntheticNonce(key: WorkspaceKey, aad: Buffer, padded: Buffer): Buffer {
  let nonceKey = nonceKeys.get(key.key);
  if (nonceKey === undefined) {
    nonceKey = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), NONCE_KEY_INFO, 32));
    nonceKeys.set(key.key, nonceKey);
  }
  const mac = createHmac('sha256', nonceKey).update(aad).update(padded).digest();
  return Buffer.from(mac.subarray(0, NONCE_BYTES));
}

/** Everything but the labels the envelope carries in the clear. */
function changeBody(change: Change): Omit<Change, 'id' | 'collection'> {
  return {
    op: change.op,
    recordId: change.recordId,
    fields: change.fields,
    base: change.base,
    hlc: change.hlc,
    deviceId: change.deviceId,
  };
}

function associatedData(
  workspaceId: string,
  id: string,
  collection: string,
  keyVersion: number,
): Buffer {
  return lengthPrefixed([AAD_LABEL, workspaceId, id, collection, keyVersion]);
}

function decryptFailed(envelope: ChangeEnvelope, why: string): CofferError {
  return new CofferError('CHANGE_DECRYPT_FAILED', `Change ${envelope.id} was refused: ${why}.`, {
    changeId: envelope.id,
  });
}
