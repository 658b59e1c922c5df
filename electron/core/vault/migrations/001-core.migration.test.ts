import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { coreMigration } from './001-core.migration.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

let temp: TempDatabase | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

function freshDatabase(): TempDatabase['db'] {
  temp = createTempDatabase();
  return temp.db;
}

function columns(db: TempDatabase['db'], table: string): string[] {
  return db
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid')
    .all(table)
    .map((c) => c.name);
}

describe('001-core migration', () => {
  it('is the first registered migration', () => {
    expect(MIGRATIONS[0]).toBe(coreMigration);
    expect(coreMigration.version).toBe(1);
  });

  it('takes a fresh database from version 0 to 1 with the engine tables', () => {
    const db = freshDatabase();
    expect(schemaVersion(db)).toBe(0);
    expect(runMigrations(db, MIGRATIONS, { target: 1 })).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);

    expect(columns(db, 'meta')).toEqual(['key', 'value']);
    expect(columns(db, 'record_clocks')).toEqual(['collection', 'record_id', 'clocks']);
    expect(columns(db, 'outbox')).toEqual([
      'seq',
      'id',
      'collection',
      'record_id',
      'op',
      'fields_json',
      'base_json',
      'hlc',
      'device_id',
      'created_at',
    ]);
    expect(columns(db, 'attachments')).toEqual([
      'id',
      'file_name',
      'mime_type',
      'size',
      'sha256',
      'content',
      'created_at',
      'updated_at',
      'deleted_at',
    ]);
    const recordClocksSql = String(
      db.prepare("SELECT sql FROM sqlite_master WHERE name = 'record_clocks'").pluck().get(),
    );
    expect(recordClocksSql).toMatch(/WITHOUT ROWID/);
    expect(recordClocksSql).toMatch(/PRIMARY KEY \(collection, record_id\)/);
  });

  it('enforces the outbox and attachment constraints', () => {
    const db = freshDatabase();
    runMigrations(db, MIGRATIONS, { target: 1 });
    const insertOutbox = db.prepare(
      `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
       VALUES (?, 'accounts', 'r1', ?, '{}', '{}', 'h', 'd', 1)`,
    );
    insertOutbox.run('c1', 'upsert');
    expect(() => insertOutbox.run('c1', 'upsert')).toThrow(/UNIQUE/);
    expect(() => insertOutbox.run('c2', 'merge')).toThrow(/CHECK/);
    insertOutbox.run('c3', 'delete');
    expect(db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all()).toEqual([1, 2]);

    const insertAttachment = db.prepare(
      `INSERT INTO attachments (id, file_name, mime_type, size, sha256, content, created_at, updated_at)
       VALUES ('a1', 'r.pdf', 'application/pdf', ?, ?, x'00', 1, 1)`,
    );
    expect(() => insertAttachment.run(-1, 'a'.repeat(64))).toThrow(/CHECK/);
    expect(() => insertAttachment.run(1, 'short')).toThrow(/CHECK/);
    insertAttachment.run(1, 'a'.repeat(64));
  });

  it('keeps one clock row per (collection, record)', () => {
    const db = freshDatabase();
    runMigrations(db, MIGRATIONS, { target: 1 });
    const put = db.prepare('INSERT INTO record_clocks VALUES (?, ?, ?)');
    put.run('accounts', 'r1', '{"000000000000001:000000:dev":"name currency"}');
    expect(() => put.run('accounts', 'r1', '{"000000000000002:000000:dev":"notes"}')).toThrow(
      /UNIQUE|PRIMARY/,
    );
    // The same id in another collection is another record.
    put.run('payees', 'r1', '{"000000000000002:000000:dev":"name"}');
    expect(db.prepare('SELECT count(*) FROM record_clocks').pluck().get()).toBe(2);
  });
});
