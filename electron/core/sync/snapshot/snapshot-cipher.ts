import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { lengthPrefixed } from '../crypto/length-prefixed.js';
import { NONCE_BYTES, randomNonce } from '../crypto/random-nonce.js';
import type { WorkspaceKey } from '../crypto/workspace-key.js';

/**
 * Seals and opens one snapshot chunk: AES-256-GCM under a key HKDF derives from the
 * workspace key (so a chunk can never be mistaken for a change, whose cipher uses the key
 * itself), a fresh random nonce per chunk, bytes `nonce ‖ ciphertext ‖ tag`. The associated
 * data binds the workspace, the snapshot id, its seq, the key version, the chunk's index and
 * the chunk count, length-prefixed: a chunk moved to another snapshot or workspace, put at
 * another index, or read as part of a shorter or longer snapshot fails its tag.
 *
 * Random nonces, not synthetic ones: a snapshot is written once, never re-sent byte for
 * byte, and a chunk's plaintext is never the same twice anyway (the snapshot id differs).
 */
const TAG_BYTES = 16;
export const CHUNK_OVERHEAD_BYTES = NONCE_BYTES + TAG_BYTES;
const AAD_LABEL = 'coffer/snapshot-chunk/v1';
const KEY_INFO = 'coffer/snapshot-key/v1';

/** What a chunk's associated data binds. */
export interface ChunkLabel {
  workspaceId: string;
  snapshotId: string;
  seq: number;
  keyVersion: number;
  index: number;
  chunkCount: number;
}

const derivedKeys = new WeakMap<Buffer, Buffer>();

function snapshotKey(key: WorkspaceKey): Buffer {
  let derived = derivedKeys.get(key.key);
  if (derived === undefined) {
    derived = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), KEY_INFO, 32));
    derivedKeys.set(key.key, derived);
  }
  return derived;
}

function associatedData(label: ChunkLabel): Buffer {
  // seq may exceed 32 bits: it travels as decimal text.
  return lengthPrefixed([
    AAD_LABEL,
    label.workspaceId,
    label.snapshotId,
    String(label.seq),
    label.keyVersion,
    label.index,
    label.chunkCount,
  ]);
}

export function sealChunk(plaintext: Buffer, key: WorkspaceKey, label: ChunkLabel): Buffer {
  if (key.workspaceId !== label.workspaceId || key.version !== label.keyVersion) {
    throw new CofferError('INTERNAL', 'A snapshot chunk is sealed under its own workspace key.');
  }
  const nonce = randomNonce();
  const cipher = createCipheriv('aes-256-gcm', snapshotKey(key), nonce);
  cipher.setAAD(associatedData(label));
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** SNAPSHOT_INVALID when the tag fails: altered bytes, or a label that is not this chunk's. */
export function openChunk(sealed: Buffer, key: WorkspaceKey, label: ChunkLabel): Buffer {
  if (sealed.length < CHUNK_OVERHEAD_BYTES) {
    throw chunkRefused(label, 'it is cut short');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      snapshotKey(key),
      sealed.subarray(0, NONCE_BYTES),
    );
    decipher.setAAD(associatedData(label));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw chunkRefused(
      label,
      'it was altered, or belongs to another snapshot, position, workspace or key',
    );
  }
}

function chunkRefused(label: ChunkLabel, why: string): CofferError {
  return new CofferError(
    'SNAPSHOT_INVALID',
    `Chunk ${label.index} of snapshot ${label.snapshotId} was refused: ${why}.`,
    { snapshotId: label.snapshotId, index: label.index },
  );
}
