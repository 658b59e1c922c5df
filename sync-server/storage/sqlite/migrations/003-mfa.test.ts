import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_MFA = MIGRATIONS.slice(0, 3);

function insertUser(db: SqliteDatabase, id: string): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
     VALUES (?, ?, 'sealed', '$argon2id$…', 1, 1, 1)`,
  ).run(id, `lookup-${id}`);
}

const MFA_TABLES = [
  'mfa_totp',
  'mfa_email_otp',
  'mfa_email_codes',
  'mfa_backup_code_sets',
  'mfa_backup_codes',
  'webauthn_user_handles',
  'webauthn_credentials',
  'mfa_login_challenges',
  'webauthn_challenges',
];

function fillMfaRows(db: SqliteDatabase, userId: string): void {
  db.prepare(
    "INSERT INTO mfa_totp (user_id, secret_sealed, created_at) VALUES (?, 'v1:k:n:c', 1)",
  ).run(userId);
  db.prepare('INSERT INTO mfa_email_otp (user_id, enabled_at) VALUES (?, 1)').run(userId);
  db.prepare(
    `INSERT INTO mfa_email_codes (id, user_id, challenge_id, code_hash, created_at, expires_at)
     VALUES (?, ?, NULL, 'h', 1, 2)`,
  ).run(`code-${userId}`, userId);
  db.prepare('INSERT INTO mfa_backup_code_sets (user_id, salt, created_at) VALUES (?, ?, 1)').run(
    userId,
    'salt',
  );
  db.prepare("INSERT INTO mfa_backup_codes (user_id, code_hash) VALUES (?, 'h1')").run(userId);
  db.prepare('INSERT INTO webauthn_user_handles (user_id, handle) VALUES (?, ?)').run(
    userId,
    `handle-${userId}`,
  );
  db.prepare(
    `INSERT INTO webauthn_credentials (id, user_id, public_key, counter, transports, name, created_at)
     VALUES (?, ?, x'00', 0, '[]', 'key', 1)`,
  ).run(`cred-${userId}`, userId);
  db.prepare(
    `INSERT INTO mfa_login_challenges (id, token_hash, user_id, context, created_at, expires_at)
     VALUES (?, ?, ?, '{}', 1, 2)`,
  ).run(`ch-${userId}`, `th-${userId}`, userId);
  db.prepare(
    `INSERT INTO webauthn_challenges (challenge_hash, ceremony, user_id, login_challenge_id, created_at, expires_at)
     VALUES (?, 'second_factor', ?, ?, 1, 2)`,
  ).run(`wc-${userId}`, userId, `ch-${userId}`);
}

const count = (db: SqliteDatabase, table: string): number =>
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('migration 003-mfa', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-2 database, keeping its users, and creates the MFA tables', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_MFA, targetVersion: 2 });
    insertUser(db, 'u1');

    expect(runMigrations(db, { migrations: UPTO_MFA })).toEqual([3]);
    expect(schemaVersion(db)).toBe(3);
    expect(count(db, 'users')).toBe(1);
    fillMfaRows(db, 'u1');
    for (const table of MFA_TABLES) expect(count(db, table)).toBe(1);
  });

  it('refuses rows for unknown users and unknown ceremonies', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_MFA });
    const target = db;
    expect(() =>
      target
        .prepare(
          "INSERT INTO mfa_totp (user_id, secret_sealed, created_at) VALUES ('nobody', 's', 1)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    insertUser(db, 'u1');
    expect(() =>
      target
        .prepare(
          `INSERT INTO webauthn_challenges (challenge_hash, ceremony, user_id, created_at, expires_at)
           VALUES ('c', 'bogus', 'u1', 1, 2)`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('deleting a user removes every MFA row of theirs and only theirs (ON DELETE CASCADE)', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_MFA });
    insertUser(db, 'u1');
    insertUser(db, 'u2');
    fillMfaRows(db, 'u1');
    fillMfaRows(db, 'u2');
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    for (const table of MFA_TABLES) expect(count(db, table)).toBe(1);
  });
});
