import type {
  ActiveDeviceRule,
  LogPruningRepository,
  PullCursor,
} from '../log-pruning.repository.js';
import { lazyStatements } from './lazy-statements.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteLogPruningRepository implements LogPruningRepository {
  private readonly sql: ReturnType<typeof lazyStatements>;

  constructor(db: SqliteDatabase) {
    this.sql = lazyStatements(db);
  }

  async recordPull(cursor: PullCursor, resolutionMs: number): Promise<void> {
    // A statement that changes no row commits nothing, so an unchanged cursor costs no sync.
    this.sql(
      `INSERT INTO pull_cursors (workspace_id, session_id, after_seq, pulled_at)
       VALUES (@workspaceId, @sessionId, @afterSeq, @pulledAt)
       ON CONFLICT (workspace_id, session_id)
       DO UPDATE SET after_seq = excluded.after_seq, pulled_at = excluded.pulled_at
        WHERE pull_cursors.after_seq <> excluded.after_seq
           OR excluded.pulled_at - pull_cursors.pulled_at >= @resolutionMs`,
    ).run({ ...cursor, resolutionMs });
  }

  async activeFloor(workspaceId: string, rule: ActiveDeviceRule): Promise<number | null> {
    const floor = this.sql(
      `SELECT min(c.after_seq) FROM pull_cursors c
         JOIN sessions s ON s.id = c.session_id
         JOIN workspace_members m ON m.workspace_id = c.workspace_id AND m.user_id = s.user_id
        WHERE c.workspace_id = @workspace
          AND c.pulled_at >= @pulledSince
          AND s.revoked_at IS NULL
          AND s.last_seen_at + @idleMs > @now
          AND s.created_at + @absoluteMs > @now`,
    )
      .pluck()
      .get({ workspace: workspaceId, ...rule }) as number | null;
    return floor;
  }

  async prunedThrough(workspaceId: string): Promise<number> {
    const seq = this.sql('SELECT pruned_through FROM change_log_pruned WHERE workspace_id = ?')
      .pluck()
      .get(workspaceId) as number | undefined;
    return seq ?? 0;
  }

  async markPruned(workspaceId: string, seq: number, at: number): Promise<void> {
    this.sql(
      `INSERT INTO change_log_pruned (workspace_id, pruned_through, pruned_at) VALUES (?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE
         SET pruned_through = excluded.pruned_through, pruned_at = excluded.pruned_at
         WHERE excluded.pruned_through > change_log_pruned.pruned_through`,
    ).run(workspaceId, seq, at);
  }

  async deleteChangesThrough(workspaceId: string, seq: number, limit: number): Promise<number> {
    return this.sql(
      `DELETE FROM change_log WHERE workspace_id = ? AND seq IN (
         SELECT seq FROM change_log WHERE workspace_id = ? AND seq <= ? ORDER BY seq LIMIT ?)`,
    ).run(workspaceId, workspaceId, seq, limit).changes;
  }

  async pruneCandidates(): Promise<string[]> {
    return this.sql(
      `SELECT s.workspace_id FROM snapshots s
         LEFT JOIN change_log_pruned p ON p.workspace_id = s.workspace_id
        WHERE s.completed_at IS NOT NULL
        GROUP BY s.workspace_id
       HAVING max(s.seq) > coalesce(max(p.pruned_through), 0)
        ORDER BY s.workspace_id`,
    )
      .pluck()
      .all() as string[];
  }
}
