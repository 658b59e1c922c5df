import type { SnapshotManifest } from '../../../shared/sync/snapshot.js';
import type {
  ChunkOutcome,
  CompleteOutcome,
  SnapshotRecord,
  SnapshotRepository,
} from '../snapshot.repository.js';
import { type SnapshotRow, snapshotStartValues, toSnapshotRecord } from '../rows/snapshot.rows.js';
import type { PgDatabase } from './pg-database.js';

const COLUMNS =
  'workspace_id, id, seq, key_version, chunk_count, byte_length, created_by, started_at, completed_at';

/** Newest first: the highest seq, then the latest completion. */
const NEWEST_FIRST = 'ORDER BY seq DESC, completed_at DESC, id DESC';

/**
 * SnapshotRepository over PostgreSQL (schema: migrations/013-snapshots.ts). Chunk uploads
 * and completions of one workspace take turns on a transaction-scoped advisory lock of that
 * workspace, so the length checks and the choice of the newest snapshot see every write
 * before theirs, as on SQLite's one connection.
 */
export class PostgresSnapshotRepository implements SnapshotRepository {
  constructor(private readonly db: PgDatabase) {}

  async start(
    workspaceId: string,
    manifest: SnapshotManifest,
    origin: { userId: string; startedAt: number },
  ): Promise<{ created: boolean; snapshot: SnapshotRecord }> {
    const inserted = await this.db.query<SnapshotRow>(
      `INSERT INTO snapshots (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)
       ON CONFLICT (workspace_id, id) DO NOTHING RETURNING ${COLUMNS}`,
      snapshotStartValues(workspaceId, manifest, origin),
    );
    const created = inserted.rows[0];
    if (created !== undefined) return { created: true, snapshot: toSnapshotRecord(created) };
    const known = await this.findRow(workspaceId, manifest.snapshotId);
    if (known === undefined) throw new Error('A snapshot that conflicted is not found');
    return { created: false, snapshot: toSnapshotRecord(known) };
  }

  async find(workspaceId: string, snapshotId: string): Promise<SnapshotRecord | null> {
    const row = await this.findRow(workspaceId, snapshotId);
    return row === undefined ? null : toSnapshotRecord(row);
  }

  async putChunk(
    workspaceId: string,
    snapshotId: string,
    index: number,
    bytes: Buffer,
  ): Promise<ChunkOutcome> {
    return this.db.transaction(async (): Promise<ChunkOutcome> => {
      await this.lockWorkspace(workspaceId);
      const snapshot = await this.findRow(workspaceId, snapshotId);
      if (snapshot === undefined) return 'not_found';
      const { rows } = await this.db.query<{ bytes: Buffer }>(
        `SELECT bytes FROM snapshot_chunks
          WHERE workspace_id = $1 AND snapshot_id = $2 AND chunk_index = $3`,
        [workspaceId, snapshotId, index],
      );
      const held = rows[0]?.bytes;
      if (held !== undefined) return held.equals(bytes) ? 'same' : 'conflict';
      if (snapshot.completed_at !== null) return 'conflict';
      const stored = await this.storedBytes(workspaceId, snapshotId);
      if (stored + bytes.length > snapshot.byte_length) return 'over_length';
      await this.db.query(
        `INSERT INTO snapshot_chunks (workspace_id, snapshot_id, chunk_index, bytes)
         VALUES ($1, $2, $3, $4)`,
        [workspaceId, snapshotId, index, bytes],
      );
      return 'stored';
    }, 'read committed');
  }

  async readChunk(workspaceId: string, snapshotId: string, index: number): Promise<Buffer | null> {
    const { rows } = await this.db.query<{ bytes: Buffer }>(
      `SELECT c.bytes FROM snapshot_chunks c
         JOIN snapshots s ON s.workspace_id = c.workspace_id AND s.id = c.snapshot_id
        WHERE c.workspace_id = $1 AND c.snapshot_id = $2 AND c.chunk_index = $3
          AND s.completed_at IS NOT NULL`,
      [workspaceId, snapshotId, index],
    );
    return rows[0]?.bytes ?? null;
  }

  async complete(
    workspaceId: string,
    snapshotId: string,
    completedAt: number,
  ): Promise<CompleteOutcome> {
    return this.db.transaction(async (): Promise<CompleteOutcome> => {
      await this.lockWorkspace(workspaceId);
      const row = await this.findRow(workspaceId, snapshotId);
      if (row === undefined) return { status: 'not_found' };
      if (row.completed_at === null) {
        const { rows } = await this.db.query<{ chunk_index: number }>(
          'SELECT chunk_index FROM snapshot_chunks WHERE workspace_id = $1 AND snapshot_id = $2',
          [workspaceId, snapshotId],
        );
        const held = new Set(rows.map((chunk) => chunk.chunk_index));
        const missing: number[] = [];
        for (let index = 0; index < row.chunk_count; index += 1) {
          if (!held.has(index)) missing.push(index);
        }
        if (missing.length > 0) return { status: 'incomplete', missing };
        const stored = await this.storedBytes(workspaceId, snapshotId);
        if (stored !== row.byte_length) return { status: 'short', byteLength: stored };
        await this.db.query(
          'UPDATE snapshots SET completed_at = $1 WHERE workspace_id = $2 AND id = $3',
          [completedAt, workspaceId, snapshotId],
        );
        row.completed_at = completedAt;
      }
      const newest = await this.newestRow(workspaceId);
      if (newest === undefined) throw new Error('A snapshot just completed is not found');
      // Chunks go with their snapshot (ON DELETE CASCADE).
      await this.db.query(
        `DELETE FROM snapshots
          WHERE workspace_id = $1 AND completed_at IS NOT NULL AND id <> $2`,
        [workspaceId, newest.id],
      );
      return {
        status: 'completed',
        snapshot: toSnapshotRecord(row),
        newest: toSnapshotRecord(newest),
      };
    }, 'read committed');
  }

  async newest(workspaceId: string): Promise<SnapshotRecord | null> {
    const row = await this.newestRow(workspaceId);
    return row === undefined ? null : toSnapshotRecord(row);
  }

  async dropUnfinishedBefore(cutoff: number): Promise<number> {
    const result = await this.db.query(
      'DELETE FROM snapshots WHERE completed_at IS NULL AND started_at < $1',
      [cutoff],
    );
    return result.rowCount ?? 0;
  }

  private async lockWorkspace(workspaceId: string): Promise<void> {
    await this.db.query("SELECT pg_advisory_xact_lock(hashtextextended('snapshots:' || $1, 0))", [
      workspaceId,
    ]);
  }

  private async findRow(workspaceId: string, snapshotId: string): Promise<SnapshotRow | undefined> {
    const { rows } = await this.db.query<SnapshotRow>(
      `SELECT ${COLUMNS} FROM snapshots WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, snapshotId],
    );
    return rows[0];
  }

  private async newestRow(workspaceId: string): Promise<SnapshotRow | undefined> {
    const { rows } = await this.db.query<SnapshotRow>(
      `SELECT ${COLUMNS} FROM snapshots
        WHERE workspace_id = $1 AND completed_at IS NOT NULL ${NEWEST_FIRST} LIMIT 1`,
      [workspaceId],
    );
    return rows[0];
  }

  private async storedBytes(workspaceId: string, snapshotId: string): Promise<number> {
    const { rows } = await this.db.query<{ total: number }>(
      `SELECT coalesce(sum(length(bytes)), 0)::bigint AS total FROM snapshot_chunks
        WHERE workspace_id = $1 AND snapshot_id = $2`,
      [workspaceId, snapshotId],
    );
    return rows[0]?.total ?? 0;
  }
}
