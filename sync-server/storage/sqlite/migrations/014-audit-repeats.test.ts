import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations } from './run-migrations.js';

const insertAudit = (db: SqliteDatabase, id: string): void => {
  db.prepare(
    `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip)
     VALUES (?, 1, 'r', 'POST /v1/auth/login', 401, 'failure', '127.0.0.1')`,
  ).run(id);
};

describe('migration 014-audit-repeats', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('counts every existing row as one request and refuses a count below one', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: MIGRATIONS, targetVersion: 13 });
    insertAudit(db, 'a1');
    runMigrations(db, { migrations: MIGRATIONS, targetVersion: 14 });
    insertAudit(db, 'a2');
    expect(db.prepare('SELECT id, repeats FROM audit_log ORDER BY seq').all()).toEqual([
      { id: 'a1', repeats: 1 },
      { id: 'a2', repeats: 1 },
    ]);
    expect(() => db?.prepare("UPDATE audit_log SET repeats = 0 WHERE id = 'a1'").run()).toThrow(
      /CHECK/,
    );
  });
});
