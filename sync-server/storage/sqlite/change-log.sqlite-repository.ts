import type { ChangeEnvelope } from '../../../shared/sync/change-envelope.js';
import type {
  AppendOutcome,
  ChangeLogRepository,
  ChangePage,
  PushOrigin,
} from '../change-log.repository.js';
import { type LogRow, toChangePage } from '../rows/change-log.rows.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Nonce and ciphertext are kept as bytes. The service only hands over canonical base64url
 * (change-log.service.ts), so the bytes read back encode to exactly the text pushed, and
 * comparing bytes is comparing what the client sent.
 */
export class SqliteChangeLogRepository implements ChangeLogRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async append(
    workspaceId: string,
    changes: readonly ChangeEnvelope[],
    origin: PushOrigin,
  ): Promise<AppendOutcome[]> {
    const findById = this.db.prepare(
      `SELECT seq, change_id, collection, key_version, nonce, ciphertext FROM change_log
        WHERE workspace_id = ? AND change_id = ?`,
    );
    const head = this.db
      .prepare('SELECT last_seq FROM change_log_heads WHERE workspace_id = ?')
      .pluck();
    const setHead = this.db.prepare(
      `INSERT INTO change_log_heads (workspace_id, last_seq) VALUES (?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET last_seq = excluded.last_seq`,
    );
    const insert = this.db.prepare(
      `INSERT INTO change_log (workspace_id, seq, change_id, collection, key_version, nonce,
                               ciphertext, user_id, session_id, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const appendAll = this.db.transaction((): AppendOutcome[] => {
      let last = (head.get(workspaceId) as number | undefined) ?? 0;
      const outcomes: AppendOutcome[] = [];
      for (const change of changes) {
        const nonce = Buffer.from(change.nonce, 'base64url');
        const ciphertext = Buffer.from(change.ciphertext, 'base64url');
        const known = findById.get(workspaceId, change.id) as LogRow | undefined;
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
        insert.run(
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
        );
        outcomes.push({ status: 'appended', seq: last });
      }
      if (outcomes.some((outcome) => outcome.status === 'appended')) setHead.run(workspaceId, last);
      return outcomes;
    });
    // Its own transaction (a savepoint inside an open one): committed with the connection's
    // synchronous=FULL, so the WAL is on disk before this resolves.
    return appendAll.immediate();
  }

  async listAfter(
    workspaceId: string,
    afterSeq: number,
    bounds: { maxChanges: number; maxCiphertextChars: number },
  ): Promise<ChangePage> {
    const rows = this.db
      .prepare(
        `SELECT seq, change_id, collection, key_version, nonce, ciphertext FROM change_log
          WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .iterate(workspaceId, afterSeq, bounds.maxChanges + 1) as IterableIterator<LogRow>;
    return toChangePage(rows, bounds);
  }

  async headSeq(workspaceId: string): Promise<number> {
    const last = this.db
      .prepare('SELECT last_seq FROM change_log_heads WHERE workspace_id = ?')
      .pluck()
      .get(workspaceId) as number | undefined;
    return last ?? 0;
  }
}
