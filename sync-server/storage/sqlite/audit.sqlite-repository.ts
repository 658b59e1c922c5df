import type { Statement } from 'better-sqlite3';

import { toSignInEntry } from '../../audit/sign-in-history.js';
import type { SignInEntry } from '../../audit/sign-in-history.js';
import { EXPORT_SIGN_IN_LIMIT, READS_EXCLUDED } from '../audit.repository.js';
import type {
  AuditRecord,
  AuditRepository,
  SignInPage,
  StoredAuditRecord,
  WorkspaceAuditQuery,
} from '../audit.repository.js';
import { type AuditRow, toAuditRecord } from '../rows/audit.rows.js';
import { withoutCommitSync } from './commit-sync.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { lazyStatements } from './lazy-statements.js';

/** AuditRepository over better-sqlite3 (schema: migrations/004-audit.ts, 006-audit-pseudonyms.ts). */
export class SqliteAuditRepository implements AuditRepository {
  /** Statements prepared on first use (lazy-statements.ts). */
  private readonly sql: (text: string) => Statement;

  constructor(protected readonly db: SqliteDatabase) {
    this.sql = lazyStatements(db);
  }

  async append(record: AuditRecord): Promise<void> {
    // A user id that no longer exists (the request deleted the account) is stored as NULL
    // rather than failing the foreign key, with the account's pseudonym in its place.
    const { pseudonyms, repeats, ...fields } = record;
    const insert = this.sql(
      `INSERT INTO audit_log (id, at, request_id, action, status_code, error_code, outcome, ip,
                              user_id, session_id, workspace_id, subject_user_id, factor,
                              device_name, user_agent, user_pseudonym, subject_pseudonym,
                              repeats)
       VALUES (@id, @at, @requestId, @action, @statusCode, @errorCode, @outcome, @ip,
               (SELECT id FROM users WHERE id = @userId), @sessionId, @workspaceId,
               (SELECT id FROM users WHERE id = @subjectUserId), @factor, @deviceName, @userAgent,
               CASE WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = @userId)
                    THEN @userPseudonym END,
               CASE WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = @subjectUserId)
                    THEN @subjectPseudonym END,
               @repeats)`,
    );
    // Every request writes one row: see commit-sync.ts for why it does not wait for the disk.
    withoutCommitSync(this.db, () =>
      insert.run({
        ...fields,
        userPseudonym: fields.userId === null ? null : (pseudonyms?.user ?? null),
        subjectPseudonym: fields.subjectUserId === null ? null : (pseudonyms?.subject ?? null),
        repeats: repeats ?? 1,
      }),
    );
  }

  async listSignIns(userId: string, page: SignInPage): Promise<StoredAuditRecord[]> {
    const rows =
      page.beforeSeq === undefined
        ? this.sql(
            'SELECT * FROM audit_log WHERE subject_user_id = ? ORDER BY seq DESC LIMIT ?',
          ).all(userId, page.limit)
        : this.sql(
            `SELECT * FROM audit_log WHERE subject_user_id = ? AND seq < ?
              ORDER BY seq DESC LIMIT ?`,
          ).all(userId, page.beforeSeq, page.limit);
    return (rows as AuditRow[]).map(toAuditRecord);
  }

  async listForWorkspace(
    workspaceId: string,
    query: WorkspaceAuditQuery,
  ): Promise<StoredAuditRecord[]> {
    // Only the filters given become conditions; values are always bound, never spliced.
    const conditions = ['workspace_id = @workspaceId'];
    if (query.beforeSeq !== undefined) conditions.push('seq < @beforeSeq');
    if (query.userId !== undefined) conditions.push('user_id = @userId');
    if (query.action !== undefined) conditions.push('action = @action');
    if (query.changesOnly === true) conditions.push(READS_EXCLUDED);
    if (query.outcome !== undefined) conditions.push('outcome = @outcome');
    if (query.since !== undefined) conditions.push('at >= @since');
    if (query.until !== undefined) conditions.push('at < @until');
    const rows = this.sql(
      `SELECT * FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY seq DESC LIMIT @limit`,
    ).all({ ...query, workspaceId }) as AuditRow[];
    return rows.map(toAuditRecord);
  }

  async signInsFor(userId: string): Promise<SignInEntry[]> {
    const records = await this.listSignIns(userId, { limit: EXPORT_SIGN_IN_LIMIT });
    return records.map(toSignInEntry);
  }

  async pseudonymiseUser(userId: string, pseudonym: string): Promise<number> {
    // One statement: every right-hand side reads the row as it was.
    return this.sql(
      `UPDATE audit_log
          SET user_pseudonym = CASE WHEN user_id = @userId THEN @pseudonym ELSE user_pseudonym END,
              user_id = CASE WHEN user_id = @userId THEN NULL ELSE user_id END,
              subject_pseudonym = CASE WHEN subject_user_id = @userId THEN @pseudonym ELSE subject_pseudonym END,
              subject_user_id = CASE WHEN subject_user_id = @userId THEN NULL ELSE subject_user_id END,
              device_name = NULL
        WHERE user_id = @userId OR subject_user_id = @userId`,
    ).run({ userId, pseudonym }).changes;
  }

  async pruneBefore(cutoff: number, batchSize: number): Promise<number> {
    const result = this.sql(
      `DELETE FROM audit_log WHERE rowid IN
         (SELECT rowid FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)`,
    ).run(cutoff, batchSize);
    return result.changes;
  }
}
