import * as z from 'zod';
import { UUID_PATTERN } from '../ids/uuidv7.js';

/**
 * A workspace snapshot (docs/sync-merge.md, "Snapshots and bootstrap"): the workspace's
 * record state through one log `seq`, written by a client (the server cannot read the
 * data), encrypted under a workspace key and uploaded in chunks. A new device loads the
 * newest complete snapshot and pulls only the changes after its `seq`; the server may prune
 * the log below a snapshot once every active device has pulled past it.
 *
 * The routes (all under /v1/workspaces/:id/snapshots):
 * - `POST` with a SnapshotManifest: starts an upload (admins only: a snapshot may hold every
 *   collection, admin-only ones too);
 * - `PUT /:snapshotId/chunks/:index`, body the chunk's ciphertext as
 *   application/octet-stream: one chunk, idempotent for the same bytes;
 * - `POST /:snapshotId/complete`: makes it the workspace's newest snapshot once every chunk
 *   is there;
 * - `GET /latest`: the newest complete snapshot's SnapshotInfo, or 404 NO_SNAPSHOT;
 * - `GET /:snapshotId/chunks/:index`: one chunk's ciphertext.
 * A pull whose `after` lies below what the server pruned answers 410 HISTORY_PRUNED, with
 * the newest snapshot's seq in the error's details: the device re-bootstraps from it.
 */

/** The most ciphertext one chunk holds: the same bound as a push body. */
export const SNAPSHOT_CHUNK_MAX_BYTES = 1_048_576;
/** The most chunks one snapshot has (4 GiB of ciphertext). */
export const SNAPSHOT_MAX_CHUNKS = 4096;
/** A client refreshes the snapshot once this many changes were logged after it... */
export const SNAPSHOT_REFRESH_CHANGES = 10_000;
/** ...or once it is this old and the log has grown since. */
export const SNAPSHOT_REFRESH_MS = 24 * 60 * 60 * 1000;

export const SnapshotManifestSchema = z.strictObject({
  snapshotId: z.string().regex(UUID_PATTERN, { error: 'Snapshot id must be a lowercase UUID' }),
  /** Every change the workspace logged with seq ≤ this is in the snapshot. */
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** The workspace key version the chunks are sealed under. */
  keyVersion: z.number().int().min(1).max(0xffff_ffff),
  chunkCount: z.number().int().min(1).max(SNAPSHOT_MAX_CHUNKS),
  /** The sum of the chunks' ciphertext lengths. */
  byteLength: z
    .number()
    .int()
    .min(1)
    .max(SNAPSHOT_CHUNK_MAX_BYTES * SNAPSHOT_MAX_CHUNKS),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;

export const SnapshotInfoSchema = SnapshotManifestSchema.extend({
  /** When the upload completed, epoch milliseconds (server clock). */
  createdAt: z.number().int().min(0),
});
export type SnapshotInfo = z.infer<typeof SnapshotInfoSchema>;

/** Error codes of the snapshot routes and of a pull below the pruned history. */
export const SNAPSHOT_ERROR_CODES = {
  /** 404: the workspace has no complete snapshot yet. */
  noSnapshot: 'NO_SNAPSHOT',
  /** 410 on pull: changes after `after` were pruned; details `{ snapshotSeq, prunedThrough }`. */
  historyPruned: 'HISTORY_PRUNED',
  /** 409 on complete: a chunk is missing; details `{ missing: number[] }`. */
  incomplete: 'SNAPSHOT_INCOMPLETE',
  /** 409 on a chunk: that index already holds other bytes, or the snapshot is complete. */
  chunkConflict: 'SNAPSHOT_CHUNK_CONFLICT',
  /** 400: a manifest whose seq is past the log's newest seq, or a chunk that breaks it. */
  invalid: 'SNAPSHOT_INVALID',
  /** 409 on start: the id is taken by another snapshot. */
  idConflict: 'SNAPSHOT_ID_CONFLICT',
} as const;
