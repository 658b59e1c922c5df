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
import type { PgDatabase } from './pg-database.js';

/** AuditRepository over PostgreSQL (schema: migrations/004-audit.ts, 006-audit-pseudonyms.ts). */
export class PostgresAuditRepository implements AuditRepository {
  constructor(private readonly db: PgDatabase) {}

  async append(record: AuditRecord): Promise<void> {
    // A user id that no longer exists (the request deleted the account) is stored as NULL
    // rather than failing the foreign key, with the account's pseudonym in its place.
    const { pseudonyms } = record;
    await this.db.query(
      `INSERT INTO audit_log (id, at, request_id, action, status_code, error_code, outcome, ip,
                              user_id, session_id, workspace_id, subject_user_id, factor,
                              device_name, user_agent, user_pseudonym, subject_pseudonym,
                              repeats)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
               (SELECT id FROM users WHERE id = $9::text), $10, $11,
               (SELECT id FROM users WHERE id = $12::text), $13, $14, $15,
               CASE WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = $9::text)
                    THEN $16::text END,
               CASE WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = $12::text)
                    THEN $17::text END,
               $18)`,
      [
        record.id,
        record.at,
        record.requestId,
        record.action,
        record.statusCode,
        record.errorCode,
        record.outcome,
        record.ip,
        record.userId,
        record.sessionId,
        record.workspaceId,
        record.subjectUserId,
        record.factor,
        record.deviceName,
        record.userAgent,
        record.userId === null ? null : (pseudonyms?.user ?? null),
        record.subjectUserId === null ? null : (pseudonyms?.subject ?? null),
        record.repeats ?? 1,
      ],
    );
  }

  async listSignIns(userId: string, page: SignInPage): Promise<StoredAuditRecord[]> {
    const { rows } =
      page.beforeSeq === undefined
        ? await this.db.query<AuditRow>(
            'SELECT * FROM audit_log WHERE subject_user_id = $1 ORDER BY seq DESC LIMIT $2',
            [userId, page.limit],
          )
        : await this.db.query<AuditRow>(
            `SELECT * FROM audit_log WHERE subject_user_id = $1 AND seq < $2
              ORDER BY seq DESC LIMIT $3`,
            [userId, page.beforeSeq, page.limit],
          );
    return rows.map(toAuditRecord);
  }

  async listForWorkspace(
    workspaceId: string,
    query: WorkspaceAuditQuery,
  ): Promise<StoredAuditRecord[]> {
    // Only the filters given become conditions; values are always bound, never spliced.
    const values: unknown[] = [workspaceId];
    const conditions = ['workspace_id = $1'];
    const where = (condition: string, value: unknown): void => {
      values.push(value);
      conditions.push(condition.replace('?', `$${values.length}`));
    };
    if (query.beforeSeq !== undefined) where('seq < ?', query.beforeSeq);
    if (query.userId !== undefined) where('user_id = ?', query.userId);
    if (query.action !== undefined) where('action = ?', query.action);
    if (query.changesOnly === true) conditions.push(READS_EXCLUDED);
    if (query.outcome !== undefined) where('outcome = ?', query.outcome);
    if (query.since !== undefined) where('at >= ?', query.since);
    if (query.until !== undefined) where('at < ?', query.until);
    values.push(query.limit);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT * FROM audit_log WHERE ${conditions.join(' AND ')}
        ORDER BY seq DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toAuditRecord);
  }

  async signInsFor(userId: string): Promise<SignInEntry[]> {
    const records = await this.listSignIns(userId, { limit: EXPORT_SIGN_IN_LIMIT });
    return records.map(toSignInEntry);
  }

  async pseudonymiseUser(userId: string, pseudonym: string): Promise<number> {
    // One statement: every right-hand side reads the row as it was.
    const result = await this.db.query(
      `UPDATE audit_log
          SET user_pseudonym = CASE WHEN user_id = $1 THEN $2 ELSE user_pseudonym END,
              user_id = CASE WHEN user_id = $1 THEN NULL ELSE user_id END,
              subject_pseudonym = CASE WHEN subject_user_id = $1 THEN $2 ELSE subject_pseudonym END,
              subject_user_id = CASE WHEN subject_user_id = $1 THEN NULL ELSE subject_user_id END,
              device_name = NULL
        WHERE user_id = $1 OR subject_user_id = $1`,
      [userId, pseudonym],
    );
    return result.rowCount ?? 0;
  }

  async pruneBefore(cutoff: number, batchSize: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM audit_log WHERE seq IN
         (SELECT seq FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)`,
      [cutoff, batchSize],
    );
    return result.rowCount ?? 0;
  }
}
