import type { Database, Statement } from 'better-sqlite3';

import type { SessionEndReason, SessionRecord, SessionRepository } from '../session.repository.js';
import { type SessionRow, sessionValues, toSession } from '../rows/session.rows.js';
import { lazyStatements } from './lazy-statements.js';

/** SessionRepository over better-sqlite3 (schema: migrations/002-accounts.ts). */
export class SqliteSessionRepository implements SessionRepository {
  /** Statements prepared on first use (lazy-statements.ts). */
  private readonly sql: (text: string) => Statement;

  constructor(private readonly db: Database) {
    this.sql = lazyStatements(db);
  }

  async create(session: SessionRecord): Promise<void> {
    this.sql(
      `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent,
                             created_at, last_seen_at, elevated_until, revoked_at, revoked_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...sessionValues(session));
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    const row = this.sql('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as
      SessionRow | undefined;
    return row === undefined ? null : toSession(row);
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const row = this.sql('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row === undefined ? null : toSession(row);
  }

  async findManyById(ids: readonly string[]): Promise<SessionRecord[]> {
    if (ids.length === 0) return [];
    // One statement for any number of ids: the list goes in as one JSON array.
    const rows = this.sql(
      'SELECT * FROM sessions WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(ids)) as SessionRow[];
    return rows.map(toSession);
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    const rows = this.sql(
      'SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id DESC',
    ).all(userId) as SessionRow[];
    return rows.map(toSession);
  }

  async touch(id: string, lastSeenAt: number, ip: string): Promise<void> {
    this.sql('UPDATE sessions SET last_seen_at = ?, ip = ? WHERE id = ?').run(lastSeenAt, ip, id);
  }

  async setElevatedUntil(id: string, elevatedUntil: number | null): Promise<void> {
    this.sql('UPDATE sessions SET elevated_until = ? WHERE id = ?').run(elevatedUntil, id);
  }

  async revoke(id: string, at: number, reason: SessionEndReason): Promise<boolean> {
    const result = this.sql(
      `UPDATE sessions SET revoked_at = ?, revoked_reason = ?, elevated_until = NULL
        WHERE id = ? AND revoked_at IS NULL`,
    ).run(at, reason, id);
    return result.changes === 1;
  }

  async revokeAllForUser(
    userId: string,
    at: number,
    reason: SessionEndReason,
    exceptId?: string,
  ): Promise<number> {
    const result = this.sql(
      `UPDATE sessions SET revoked_at = ?, revoked_reason = ?, elevated_until = NULL
        WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?`,
    ).run(at, reason, userId, exceptId ?? null);
    return result.changes;
  }

  async deleteForUser(userId: string): Promise<void> {
    this.sql('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  async pruneEndedBefore(cutoff: number, idleMs: number, absoluteMs: number): Promise<number> {
    const result = this.sql(
      `DELETE FROM sessions
        WHERE (revoked_at IS NOT NULL AND revoked_at < ?)
           OR last_seen_at + ? < ?
           OR created_at + ? < ?`,
    ).run(cutoff, idleMs, cutoff, absoluteMs, cutoff);
    return result.changes;
  }
}
