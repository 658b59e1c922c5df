import type { ChangeEnvelope } from '../../../shared/sync/change-envelope.js';
import type { Collection } from '../../../shared/sync/change.js';
import type {
  AppendOutcome,
  ChangeLogRepository,
  ChangePage,
  LoggedChange,
  PushOrigin,
} from '../change-log.repository.js';
import type { PgDatabase } from './pg-database.js';

interface LogRow {
  seq: number;
  change_id: string;
  collection: string;
  key_version: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** base64url length of `bytes` bytes, without padding (as envelopes carry it). */
const base64urlChars = (bytes: number): number => Math.ceil((bytes * 4) / 3);

const toChange = (row: LogRow): LoggedChange => ({
  seq: row.seq,
  id: row.change_id,
  collection: row.collection as Collection,
  keyVersion: row.key_version,
  nonce: row.nonce.toString('base64url'),
  ciphertext: row.ciphertext.toString('base64url'),
});

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
      const outcomes: AppendOutcome[] = [];
      for (const change of changes) {
        const nonce = Buffer.from(change.nonce, 'base64url');
        const ciphertext = Buffer.from(change.ciphertext, 'base64url');
        const { rows } = await this.db.query<LogRow>(
          `SELECT seq, change_id, collection, key_version, nonce, ciphertext FROM change_log
            WHERE workspace_id = $1 AND change_id = $2`,
          [workspaceId, change.id],
        );
        const known = rows[0];
        if (known !== undefined) {
          const same =
            known.collection === change.collection &&
            known.key_version === change.keyVersion &&
            known.nonce.equals(nonce) &&
            known.ciphertext.equals(ciphertext);
          outcomes.push(same ? { status: 'duplicate', seq: known.seq } : { status: 'conflict' });
          continue;
        }
        last += 1;
        await this.db.query(
          `INSERT INTO change_log (workspace_id, seq, change_id, collection, key_version, nonce,
                                   ciphertext, user_id, session_id, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            workspaceId,
            last,
            change.id,
            change.collection,
            change.keyVersion,
            nonce,
            ciphertext,
            origin.userId,
            origin.sessionId,
            origin.receivedAt,
          ],
        );
        outcomes.push({ status: 'appended', seq: last });
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
    const changes: LoggedChange[] = [];
    let chars = 0;
    let more = false;
    for (const row of rows) {
      const size = base64urlChars(row.ciphertext.length);
      const full =
        changes.length >= bounds.maxChanges ||
        (changes.length > 0 && chars + size > bounds.maxCiphertextChars);
      if (full) {
        more = true;
        break;
      }
      chars += size;
      changes.push(toChange(row));
    }
    return { changes, more };
  }

  async headSeq(workspaceId: string): Promise<number> {
    const { rows } = await this.db.query<{ last_seq: number }>(
      'SELECT last_seq FROM change_log_heads WHERE workspace_id = $1',
      [workspaceId],
    );
    return rows[0]?.last_seq ?? 0;
  }
}
