import type { SnapshotManifest } from '../../../shared/sync/snapshot.js';
import type { SnapshotRecord } from '../snapshot.repository.js';

/** A row of snapshots (migrations/013-snapshots.ts) as both storage backends read it. */
export interface SnapshotRow {
  workspace_id: string;
  id: string;
  seq: number;
  key_version: number;
  chunk_count: number;
  byte_length: number;
  created_by: string | null;
  started_at: number;
  completed_at: number | null;
}

export const toSnapshotRecord = (row: SnapshotRow): SnapshotRecord => ({
  workspaceId: row.workspace_id,
  snapshotId: row.id,
  seq: row.seq,
  keyVersion: row.key_version,
  chunkCount: row.chunk_count,
  byteLength: row.byte_length,
  createdBy: row.created_by,
  startedAt: row.started_at,
  completedAt: row.completed_at,
});

/** The values of a started snapshot's INSERT, in column order up to `completed_at`. */
export const snapshotStartValues = (
  workspaceId: string,
  manifest: SnapshotManifest,
  origin: { userId: string; startedAt: number },
): (string | number)[] => [
  workspaceId,
  manifest.snapshotId,
  manifest.seq,
  manifest.keyVersion,
  manifest.chunkCount,
  manifest.byteLength,
  origin.userId,
  origin.startedAt,
];
