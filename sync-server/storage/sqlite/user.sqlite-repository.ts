import type { Database, Statement } from 'better-sqlite3';

import { EmailTakenError } from '../user.repository.js';
import type { UserRecord, UserRepository } from '../user.repository.js';
import { type UserRow, toUser, userValues } from '../rows/user.rows.js';
import { lazyStatements } from './lazy-statements.js';

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/** UserRepository over better-sqlite3 (schema: migrations/002-accounts.ts). */
export class SqliteUserRepository implements UserRepository {
  /** Statements prepared on first use (lazy-statements.ts). */
  private readonly sql: (text: string) => Statement;

  constructor(private readonly db: Database) {
    this.sql = lazyStatements(db);
  }

  async create(user: UserRecord): Promise<void> {
    try {
      this.sql(
        `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(...userValues(user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row === undefined ? null : toUser(row);
  }

  async findByEmailLookup(emailLookup: string): Promise<UserRecord | null> {
    const row = this.sql('SELECT * FROM users WHERE email_lookup = ?').get(emailLookup) as
      UserRow | undefined;
    return row === undefined ? null : toUser(row);
  }

  async replacePasswordHash(
    id: string,
    expectedHash: string,
    newHash: string,
    now: number,
    passwordChanged: boolean,
  ): Promise<boolean> {
    const result = this.sql(
      `UPDATE users
          SET password_hash = ?, updated_at = ?,
              password_changed_at = CASE WHEN ? THEN ? ELSE password_changed_at END
        WHERE id = ? AND password_hash = ?`,
    ).run(newHash, now, passwordChanged ? 1 : 0, now, id, expectedHash);
    return result.changes === 1;
  }

  async delete(id: string): Promise<boolean> {
    return this.sql('DELETE FROM users WHERE id = ?').run(id).changes === 1;
  }
}
