import type { SessionEndReason, SessionRecord, SessionRepository } from '../session.repository.js';
import { type SessionRow, sessionValues, toSession } from '../rows/session.rows.js';
import type { PgDatabase } from './pg-database.js';

/** SessionRepository over PostgreSQL (schema: migrations/002-accounts.ts). */
export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent,
                             created_at, last_seen_at, elevated_until, revoked_at, revoked_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      sessionValues(session),
    );
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<SessionRow>(
      'SELECT * FROM sessions WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0] === undefined ? null : toSession(rows[0]);
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return rows[0] === undefined ? null : toSession(rows[0]);
  }

  async findManyById(ids: readonly string[]): Promise<SessionRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.db.query<SessionRow>(
      'SELECT * FROM sessions WHERE id = ANY($1::text[])',
      [[...ids]],
    );
    return rows.map(toSession);
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    const { rows } = await this.db.query<SessionRow>(
      'SELECT * FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, id DESC',
      [userId],
    );
    return rows.map(toSession);
  }

  async touch(id: string, lastSeenAt: number, ip: string): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = $1, ip = $2 WHERE id = $3', [
      lastSeenAt,
      ip,
      id,
    ]);
  }

  async setElevatedUntil(id: string, elevatedUntil: number | null): Promise<void> {
    await this.db.query('UPDATE sessions SET elevated_until = $1 WHERE id = $2', [
      elevatedUntil,
      id,
    ]);
  }

  async revoke(id: string, at: number, reason: SessionEndReason): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE sessions SET revoked_at = $1, revoked_reason = $2, elevated_until = NULL
        WHERE id = $3 AND revoked_at IS NULL`,
      [at, reason, id],
    );
    return result.rowCount === 1;
  }

  async revokeAllForUser(
    userId: string,
    at: number,
    reason: SessionEndReason,
    exceptId?: string,
  ): Promise<number> {
    const result = await this.db.query(
      `UPDATE sessions SET revoked_at = $1, revoked_reason = $2, elevated_until = NULL
        WHERE user_id = $3 AND revoked_at IS NULL AND id IS DISTINCT FROM $4`,
      [at, reason, userId, exceptId ?? null],
    );
    return result.rowCount ?? 0;
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  }

  async pruneEndedBefore(cutoff: number, idleMs: number, absoluteMs: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM sessions
        WHERE (revoked_at IS NOT NULL AND revoked_at < $1)
           OR last_seen_at + $2 < $1
           OR created_at + $3 < $1`,
      [cutoff, idleMs, absoluteMs],
    );
    return result.rowCount ?? 0;
  }
}
