import { EmailTakenError } from '../user.repository.js';
import type { UserRecord, UserRepository } from '../user.repository.js';
import { type UserRow, toUser, userValues } from '../rows/user.rows.js';
import { isUniqueViolation } from './pg-database.js';
import type { PgDatabase } from './pg-database.js';

/** UserRepository over PostgreSQL (schema: migrations/002-accounts.ts). */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(user: UserRecord): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at,
                            password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        userValues(user),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async findByEmailLookup(emailLookup: string): Promise<UserRecord | null> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE email_lookup = $1', [
      emailLookup,
    ]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async replacePasswordHash(
    id: string,
    expectedHash: string,
    newHash: string,
    now: number,
    passwordChanged: boolean,
  ): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE users
          SET password_hash = $1, updated_at = $2,
              password_changed_at = CASE WHEN $3 THEN $2 ELSE password_changed_at END
        WHERE id = $4 AND password_hash = $5`,
      [newHash, now, passwordChanged, id, expectedHash],
    );
    return result.rowCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM users WHERE id = $1', [id]);
    return result.rowCount === 1;
  }
}
