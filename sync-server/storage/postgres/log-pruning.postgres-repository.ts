import type {
  ActiveDeviceRule,
  LogPruningRepository,
  PullCursor,
} from '../log-pruning.repository.js';
import type { PgDatabase } from './pg-database.js';

/** LogPruningRepository over PostgreSQL (schema: migrations/013-snapshots.ts). */
export class PostgresLogPruningRepository implements LogPruningRepository {
  constructor(private readonly db: PgDatabase) {}

  async recordPull(cursor: PullCursor, resolutionMs: number): Promise<void> {
    // An unchanged cursor within the resolution updates no row, so it writes nothing.
    await this.db.query(
      `INSERT INTO pull_cursors AS c (workspace_id, session_id, after_seq, pulled_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, session_id)
       DO UPDATE SET after_seq = excluded.after_seq, pulled_at = excluded.pulled_at
        WHERE c.after_seq <> excluded.after_seq
           OR excluded.pulled_at - c.pulled_at >= $5`,
      [cursor.workspaceId, cursor.sessionId, cursor.afterSeq, cursor.pulledAt, resolutionMs],
    );
  }

  async activeFloor(workspaceId: string, rule: ActiveDeviceRule): Promise<number | null> {
    const { rows } = await this.db.query<{ floor: number | null }>(
      `SELECT min(c.after_seq) AS floor FROM pull_cursors c
         JOIN sessions s ON s.id = c.session_id
         JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = s.user_id
        WHERE c.workspace_id = $1
          AND c.pulled_at >= $2
          AND s.revoked_at IS NULL
          AND s.last_seen_at + $3 > $4
          AND s.created_at + $5 > $4`,
      [workspaceId, rule.pulledSince, rule.idleMs, rule.now, rule.absoluteMs],
    );
    return rows[0]?.floor ?? null;
  }

  async prunedThrough(workspaceId: string): Promise<number> {
    const { rows } = await this.db.query<{ pruned_through: number }>(
      'SELECT pruned_through FROM change_log_pruned WHERE workspace_id = $1',
      [workspaceId],
    );
    return rows[0]?.pruned_through ?? 0;
  }

  async markPruned(workspaceId: string, seq: number, at: number): Promise<void> {
    await this.db.query(
      `INSERT INTO change_log_pruned AS p (workspace_id, pruned_through, pruned_at)
       VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE
         SET pruned_through = excluded.pruned_through, pruned_at = excluded.pruned_at
         WHERE excluded.pruned_through > p.pruned_through`,
      [workspaceId, seq, at],
    );
  }

  async deleteChangesThrough(workspaceId: string, seq: number, limit: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM change_log WHERE workspace_id = $1 AND seq IN (
         SELECT seq FROM change_log WHERE workspace_id = $1 AND seq <= $2 ORDER BY seq LIMIT $3)`,
      [workspaceId, seq, limit],
    );
    return result.rowCount ?? 0;
  }

  async pruneCandidates(): Promise<string[]> {
    const { rows } = await this.db.query<{ workspace_id: string }>(
      `SELECT s.workspace_id FROM snapshots s
         LEFT JOIN change_log_pruned p ON p.workspace_id = s.workspace_id
        WHERE s.completed_at IS NOT NULL
        GROUP BY s.workspace_id
       HAVING max(s.seq) > coalesce(max(p.pruned_through), 0)
        ORDER BY s.workspace_id`,
    );
    return rows.map((row) => row.workspace_id);
  }
}
