import type { SnapshotManifest } from '../../../shared/sync/snapshot.js';
import type {
  ChunkOutcome,
  CompleteOutcome,
  SnapshotRecord,
  SnapshotRepository,
} from '../snapshot.repository.js';
import { type SnapshotRow, snapshotStartValues, toSnapshotRecord } from '../rows/snapshot.rows.js';
import { lazyStatements } from './lazy-statements.js';
import type { SqliteDatabase } from './sqlite-database.js';

const COLUMNS =
  'workspace_id, id, seq, key_version, chunk_count, byte_length, created_by, started_at, completed_at';

/** Newest first: the highest seq, then the latest completion. */
const NEWEST_FIRST = 'ORDER BY seq DESC, completed_at DESC, id DESC';

/**
 * Each method runs its statements synchronously (one transaction where it writes more than
 * once), so no other request's statements come between them.
 */
export class SqliteSnapshotRepository implements SnapshotRepository {
  private readonly sql: ReturnType<typeof lazyStatements>;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = lazyStatements(db);
  }

  async start(
    workspaceId: string,
    manifest: SnapshotManifest,
    origin: { userId: string; startedAt: number },
  ): Promise<{ created: boolean; snapshot: SnapshotRecord }> {
    const known = this.findRow(workspaceId, manifest.snapshotId);
    if (known !== undefined) return { created: false, snapshot: toSnapshotRecord(known) };
    this.sql(`INSERT INTO snapshots (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`).run(
      ...snapshotStartValues(workspaceId, manifest, origin),
    );
    return {
      created: true,
      snapshot: {
        ...manifest,
        workspaceId,
        createdBy: origin.userId,
        startedAt: origin.startedAt,
        completedAt: null,
      },
    };
  }

  async find(workspaceId: string, snapshotId: string): Promise<SnapshotRecord | null> {
    const row = this.findRow(workspaceId, snapshotId);
    return row === undefined ? null : toSnapshotRecord(row);
  }

  async putChunk(
    workspaceId: string,
    snapshotId: string,
    index: number,
    bytes: Buffer,
  ): Promise<ChunkOutcome> {
    const put = this.db.transaction((): ChunkOutcome => {
      const snapshot = this.findRow(workspaceId, snapshotId);
      if (snapshot === undefined) return 'not_found';
      const held = this.sql(
        `SELECT bytes FROM snapshot_chunks
          WHERE workspace_id = ? AND snapshot_id = ? AND chunk_index = ?`,
      )
        .pluck()
        .get(workspaceId, snapshotId, index) as Buffer | undefined;
      if (held !== undefined) return held.equals(bytes) ? 'same' : 'conflict';
      if (snapshot.completed_at !== null) return 'conflict';
      const stored = this.storedBytes(workspaceId, snapshotId);
      if (stored + bytes.length > snapshot.byte_length) return 'over_length';
      this.sql(
        `INSERT INTO snapshot_chunks (workspace_id, snapshot_id, chunk_index, bytes)
         VALUES (?, ?, ?, ?)`,
      ).run(workspaceId, snapshotId, index, bytes);
      return 'stored';
    });
    return put.immediate();
  }

  async readChunk(workspaceId: string, snapshotId: string, index: number): Promise<Buffer | null> {
    const bytes = this.sql(
      `SELECT c.bytes FROM snapshot_chunks c
         JOIN snapshots s ON s.workspace_id = c.workspace_id AND s.id = c.snapshot_id
        WHERE c.workspace_id = ? AND c.snapshot_id = ? AND c.chunk_index = ?
          AND s.completed_at IS NOT NULL`,
    )
      .pluck()
      .get(workspaceId, snapshotId, index) as Buffer | undefined;
    return bytes ?? null;
  }

  async complete(
    workspaceId: string,
    snapshotId: string,
    completedAt: number,
  ): Promise<CompleteOutcome> {
    const complete = this.db.transaction((): CompleteOutcome => {
      const row = this.findRow(workspaceId, snapshotId);
      if (row === undefined) return { status: 'not_found' };
      if (row.completed_at === null) {
        const held = new Set(
          this.sql(
            `SELECT chunk_index FROM snapshot_chunks WHERE workspace_id = ? AND snapshot_id = ?`,
          )
            .pluck()
            .all(workspaceId, snapshotId) as number[],
        );
        const missing: number[] = [];
        for (let index = 0; index < row.chunk_count; index += 1) {
          if (!held.has(index)) missing.push(index);
        }
        if (missing.length > 0) return { status: 'incomplete', missing };
        const stored = this.storedBytes(workspaceId, snapshotId);
        if (stored !== row.byte_length) return { status: 'short', byteLength: stored };
        this.sql('UPDATE snapshots SET completed_at = ? WHERE workspace_id = ? AND id = ?').run(
          completedAt,
          workspaceId,
          snapshotId,
        );
        row.completed_at = completedAt;
      }
      const newest = this.newestRow(workspaceId);
      if (newest === undefined) throw new Error('A snapshot just completed is not found');
      // Chunks go with their snapshot (ON DELETE CASCADE).
      this.sql(
        `DELETE FROM snapshots
          WHERE workspace_id = ? AND completed_at IS NOT NULL AND id <> ?`,
      ).run(workspaceId, newest.id);
      return {
        status: 'completed',
        snapshot: toSnapshotRecord(row),
        newest: toSnapshotRecord(newest),
      };
    });
    return complete.immediate();
  }

  async newest(workspaceId: string): Promise<SnapshotRecord | null> {
    const row = this.newestRow(workspaceId);
    return row === undefined ? null : toSnapshotRecord(row);
  }

  async dropUnfinishedBefore(cutoff: number): Promise<number> {
    return this.sql('DELETE FROM snapshots WHERE completed_at IS NULL AND started_at < ?').run(
      cutoff,
    ).changes;
  }

  private findRow(workspaceId: string, snapshotId: string): SnapshotRow | undefined {
    return this.sql(`SELECT ${COLUMNS} FROM snapshots WHERE workspace_id = ? AND id = ?`).get(
      workspaceId,
      snapshotId,
    ) as SnapshotRow | undefined;
  }

  private newestRow(workspaceId: string): SnapshotRow | undefined {
    return this.sql(
      `SELECT ${COLUMNS} FROM snapshots
        WHERE workspace_id = ? AND completed_at IS NOT NULL ${NEWEST_FIRST} LIMIT 1`,
    ).get(workspaceId) as SnapshotRow | undefined;
  }

  private storedBytes(workspaceId: string, snapshotId: string): number {
    return this.sql(
      `SELECT coalesce(sum(length(bytes)), 0) FROM snapshot_chunks
        WHERE workspace_id = ? AND snapshot_id = ?`,
    )
      .pluck()
      .get(workspaceId, snapshotId) as number;
  }
}
