import type { SnapshotManifest } from '../../shared/sync/snapshot.js';

/**
 * Workspace snapshots (shared/sync/snapshot.ts): a manifest and its chunks of ciphertext,
 * written by an admin's device and read by new ones. The server never opens them. Ids are
 * per workspace. Every method returns a Promise so a PostgreSQL implementation fits behind
 * the same interface; each one is a single atomic step of the implementation.
 */

export interface SnapshotRecord extends SnapshotManifest {
  workspaceId: string;
  /** The user who started the upload; null once that account is deleted. */
  createdBy: string | null;
  startedAt: number;
  /** When its last step completed it; null while the upload is under way. */
  completedAt: number | null;
}

/**
 * How storing one chunk ended:
 * - `stored`: the index was empty and now holds the bytes;
 * - `same`: the index already holds exactly these bytes (nothing written);
 * - `conflict`: the index holds other bytes, or the snapshot is complete;
 * - `over_length`: with these bytes the chunks would exceed the manifest's byteLength;
 * - `not_found`: no such snapshot in the workspace.
 */
export type ChunkOutcome = 'stored' | 'same' | 'conflict' | 'over_length' | 'not_found';

/**
 * How completing ended:
 * - `completed`: it is complete now (or was already); `newest` is the workspace's newest
 *   complete snapshot afterwards (this one unless a complete one of higher seq exists);
 * - `incomplete`: these chunk indexes hold nothing yet;
 * - `short`: every chunk is there but together they are fewer bytes than the manifest said;
 * - `not_found`: no such snapshot in the workspace.
 */
export type CompleteOutcome =
  | { status: 'completed'; snapshot: SnapshotRecord; newest: SnapshotRecord }
  | { status: 'incomplete'; missing: number[] }
  | { status: 'short'; byteLength: number }
  | { status: 'not_found' };

export interface SnapshotRepository {
  /**
   * Starts an upload, or finds the snapshot already under that id in the workspace (then
   * nothing is written and the stored one is returned: the caller compares manifests).
   */
  start(
    workspaceId: string,
    manifest: SnapshotManifest,
    origin: { userId: string; startedAt: number },
  ): Promise<{ created: boolean; snapshot: SnapshotRecord }>;

  find(workspaceId: string, snapshotId: string): Promise<SnapshotRecord | null>;

  /**
   * Stores chunk `index` (the caller has checked it is below the manifest's chunkCount),
   * unless the index holds other bytes, the snapshot is complete, or the chunks would
   * exceed the manifest's byteLength.
   */
  putChunk(
    workspaceId: string,
    snapshotId: string,
    index: number,
    bytes: Buffer,
  ): Promise<ChunkOutcome>;

  /** Chunk `index` of a complete snapshot; null when there is none. */
  readChunk(workspaceId: string, snapshotId: string, index: number): Promise<Buffer | null>;

  /**
   * Completes the snapshot once every chunk is there and they add up to its byteLength,
   * then deletes every other complete snapshot of the workspace but the newest (highest
   * seq, then latest completion): a workspace keeps one.
   */
  complete(workspaceId: string, snapshotId: string, completedAt: number): Promise<CompleteOutcome>;

  /** The workspace's newest complete snapshot (highest seq, then latest completion). */
  newest(workspaceId: string): Promise<SnapshotRecord | null>;

  /** Deletes uploads started before `cutoff` that never completed; returns how many. */
  dropUnfinishedBefore(cutoff: number): Promise<number>;
}
