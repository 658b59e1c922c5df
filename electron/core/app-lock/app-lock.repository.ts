import { StatementCache, type Db } from '../ledger/statement-cache.js';

export interface AppLockRow {
  passcodeHash: string;
  idleMinutes: number;
  failedAttempts: number;
  retryAfter: number | null;
}

/** SQL for the single-row `app_lock` table: present exactly while a passcode is set. */
export class AppLockRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  read(): AppLockRow | undefined {
    return this.sql
      .get<[], AppLockRow>(
        `SELECT passcode_hash AS passcodeHash, idle_minutes AS idleMinutes,
                failed_attempts AS failedAttempts, retry_after AS retryAfter
         FROM app_lock WHERE id = 1`,
      )
      .get();
  }

  insert(passcodeHash: string, idleMinutes: number): void {
    this.sql
      .get('INSERT INTO app_lock (id, passcode_hash, idle_minutes) VALUES (1, ?, ?)')
      .run(passcodeHash, idleMinutes);
  }

  /** A new hash for the passcode; the wrong-attempt count starts again. */
  replaceHash(passcodeHash: string): void {
    this.sql
      .get(
        'UPDATE app_lock SET passcode_hash = ?, failed_attempts = 0, retry_after = NULL WHERE id = 1',
      )
      .run(passcodeHash);
  }

  setAttempts(failedAttempts: number, retryAfter: number | null): void {
    this.sql
      .get('UPDATE app_lock SET failed_attempts = ?, retry_after = ? WHERE id = 1')
      .run(failedAttempts, retryAfter);
  }

  /** Clears the count after a right passcode, unless the passcode changed meanwhile. */
  clearAttempts(forHash: string): void {
    this.sql
      .get(
        'UPDATE app_lock SET failed_attempts = 0, retry_after = NULL WHERE id = 1 AND passcode_hash = ?',
      )
      .run(forHash);
  }

  setIdleMinutes(idleMinutes: number): void {
    this.sql.get('UPDATE app_lock SET idle_minutes = ? WHERE id = 1').run(idleMinutes);
  }

  delete(): void {
    this.sql.get('DELETE FROM app_lock WHERE id = 1').run();
  }
}
