import type { ChangeEnvelope } from '../../../shared/sync/change-envelope.js';
import type {
  AppendOutcome,
  ChangeLogRepository,
  ChangePage,
  PushOrigin,
} from '../change-log.repository.js';
import { type LogRow, toChangePage } from '../rows/change-log.rows.js';
import type { PgDatabase } from './pg-database.js';

/**
 * ChangeLogRepository over PostgreSQL (schema: migrations/008-change-log.ts). Pushes to one
 * workspace from several server instances take turns on a transaction-scoped advisory lock
 * of that workspace, so seqs are handed out without gaps or repeats; pushes to different
 * workspaces do not wait for each other.
 */
export class PostgresChangeLogRepository implements ChangeLogRepository {
  constructor(private readonly db: PgDatabase) {}

  async append(
    workspaceId: string,
    changes: readonly ChangeEnvelope[],
    origin: PushOrigin,
  ): Promise<AppendOutcome[]> {
    return this.db.transaction(async (): Promise<AppendOutcome[]> => {
      await this.db.query(
        "SELECT pg_advisory_xact_lock(hashtextextended('change_log:' || $1, 0))",
        [workspaceId],
      );
      // Read after the lock: READ COMMITTED gives each statement a fresh snapshot, so this
      // sees the head the previous push committed.
      const head = await this.db.query<{ last_seq: number }>(
        'SELECT last_seq FROM change_log_heads WHERE workspace_id = $1',
        [workspaceId],
      );
      let last = head.rows[0]?.last_seq ?? 0;
      // One read for every id of the batch and one insert for every new change: a push is a
      // handful of round trips however many changes it carries.
      const { rows: knownRows } = await this.db.query<LogRow>(
        `SELECT seq, change_id, collection, key_version, nonce, ciphertext FROM change_log
          WHERE workspace_id = $1 AND change_id = ANY ($2::text[])`,
        [workspaceId, changes.map((change) => change.id)],
      );
      const known = new Map(knownRows.map((row) => [row.change_id, row]));
      const fresh: LogRow[] = [];
      const outcomes: AppendOutcome[] = [];
      for (const change of changes) {
        const nonce = Buffer.from(change.nonce, 'base64url');
        const ciphertext = Buffer.from(change.ciphertext, 'base64url');
        // An id seen before, in the log or earlier in this batch.
        const seen = known.get(change.id);
        if (seen !== undefined) {
          const same =
            seen.collection === change.collection &&
            seen.key_version === change.keyVersion &&
            seen.nonce.equals(nonce) &&
            seen.ciphertext.equals(ciphertext);
          outcomes.push(same ? { status: 'duplicate', seq: seen.seq } : { status: 'conflict' });
          continue;
        }
        last += 1;
        const row: LogRow = {
          seq: last,
          change_id: change.id,
          collection: change.collection,
          key_version: change.keyVersion,
          nonce,
          ciphertext,
        };
        known.set(change.id, row);
        fresh.push(row);
        outcomes.push({ status: 'appended', seq: last });
      }
      if (fresh.length > 0) {
        await this.db.query(
          `INSERT INTO change_log (workspace_id, seq, change_id, collection, key_version, nonce,
                                   ciphertext, user_id, session_id, received_at)
           SELECT $1, seq, change_id, collection, key_version, nonce, ciphertext, $2, $3, $4
             FROM unnest($5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::bytea[],
                         $10::bytea[])
                  AS c (seq, change_id, collection, key_version, nonce, ciphertext)`,
          [
            workspaceId,
            origin.userId,
            origin.sessionId,
            origin.receivedAt,
            fresh.map((row) => row.seq),
            fresh.map((row) => row.change_id),
            fresh.map((row) => row.collection),
            fresh.map((row) => row.key_version),
            fresh.map((row) => row.nonce),
            fresh.map((row) => row.ciphertext),
          ],
        );
      }
      if (outcomes.some((outcome) => outcome.status === 'appended')) {
        await this.db.query(
          `INSERT INTO change_log_heads (workspace_id, last_seq) VALUES ($1, $2)
           ON CONFLICT (workspace_id) DO UPDATE SET last_seq = excluded.last_seq`,
          [workspaceId, last],
        );
      }
      return outcomes;
    }, 'read committed');
  }

  async listAfter(
    workspaceId: string,
    afterSeq: number,
    bounds: { maxChanges: number; maxCiphertextChars: number },
  ): Promise<ChangePage> {
    const { rows } = await this.db.query<LogRow>(
      `SELECT seq, change_id, collection, key_version, nonce, ciphertext FROM change_log
        WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [workspaceId, afterSeq, bounds.maxChanges + 1],
    );
    return toChangePage(rows, bounds);
  }

  async headSeq(workspaceId: string): Promise<number> {
    const { rows } = await this.db.query<{ last_seq: number }>(
      'SELECT last_seq FROM change_log_heads WHERE workspace_id = $1',
      [workspaceId],
    );
    return rows[0]?.last_seq ?? 0;
  }
}
