import PlainDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { JourneyappsConnection, namedParameters } from './journeyapps-connection.js';
import { asVaultDatabase } from './plain-vault.js';
import { TracedConnection, summarizeTrace } from './sql-trace.js';

const SCHEMA = `
  CREATE TABLE parent (id TEXT PRIMARY KEY, n INTEGER NOT NULL);
  CREATE TABLE child (parent_id TEXT NOT NULL REFERENCES parent(id), pos INTEGER NOT NULL, PRIMARY KEY (parent_id, pos));`;

describe('namedParameters', () => {
  it('maps each name to the prefix the SQL uses, ignoring string literals', () => {
    const found = namedParameters(
      `SELECT * FROM t WHERE a = @a AND b = :b AND c = $c AND d = '@notAParam' AND e = @a`,
    );
    expect([...found]).toEqual([
      ['a', '@a'],
      ['b', ':b'],
      ['c', '$c'],
    ]);
  });
});

describe('recording and replaying SQL', () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('records prepares, calls with their arguments, and transactions as SQL', () => {
    const raw = new PlainDatabase(':memory:');
    closers.push(() => {
      raw.close();
    });
    raw.exec(SCHEMA);
    const traced = new TracedConnection(asVaultDatabase(raw));
    const cached = traced.db.prepare('SELECT n FROM parent WHERE id = ?').pluck();
    const ops = traced.record((db) => {
      const insert = db.prepare('INSERT INTO parent (id, n) VALUES (@id, @n)');
      db.transaction(() => {
        insert.run({ id: 'p1', n: 1 });
        db.transaction(() => insert.run({ id: 'p2', n: 2 }))();
      }).immediate();
      expect(cached.get('p2')).toBe(2);
      db.pragma('user_version');
    });
    expect(ops).toEqual([
      { kind: 'prepare', stmt: 1, sql: 'INSERT INTO parent (id, n) VALUES (@id, @n)' },
      { kind: 'exec', sql: 'BEGIN IMMEDIATE' },
      { kind: 'run', stmt: 1, args: [{ id: 'p1', n: 1 }] },
      { kind: 'exec', sql: 'SAVEPOINT bench_sp_1' },
      { kind: 'run', stmt: 1, args: [{ id: 'p2', n: 2 }] },
      { kind: 'exec', sql: 'RELEASE bench_sp_1' },
      { kind: 'exec', sql: 'COMMIT' },
      // prepared before the recording began: its prepare is put before its first use
      { kind: 'prepare', stmt: 0, sql: 'SELECT n FROM parent WHERE id = ?' },
      { kind: 'get', stmt: 0, args: ['p2'] },
      { kind: 'exec', sql: 'PRAGMA user_version' },
    ]);
    expect(summarizeTrace(ops)).toEqual({ prepare: 2, run: 2, get: 1, all: 0, exec: 5 });
  });

  it('records a rolled-back transaction as ROLLBACK', () => {
    const raw = new PlainDatabase(':memory:');
    closers.push(() => {
      raw.close();
    });
    raw.exec(SCHEMA);
    const traced = new TracedConnection(asVaultDatabase(raw));
    const ops = traced.record((db) => {
      expect(() =>
        db.transaction(() => {
          throw new Error('no');
        })(),
      ).toThrow('no');
    });
    expect(ops).toEqual([
      { kind: 'exec', sql: 'BEGIN' },
      { kind: 'exec', sql: 'ROLLBACK' },
    ]);
  });

  it('replays a recording on @journeyapps/sqlcipher with the same effect', async () => {
    const raw = new PlainDatabase(':memory:');
    closers.push(() => {
      raw.close();
    });
    raw.exec('PRAGMA foreign_keys = ON');
    raw.exec(SCHEMA);
    const traced = new TracedConnection(asVaultDatabase(raw));
    const ops = traced.record((db) => {
      const parent = db.prepare('INSERT INTO parent (id, n) VALUES (@id, @n)');
      const child = db.prepare('INSERT INTO child (parent_id, pos) VALUES (?, ?)');
      const find = db.prepare('SELECT n FROM parent WHERE id = ?');
      db.transaction(() => {
        for (let i = 0; i < 50; i++) {
          parent.run({ id: `p${i}`, n: i });
          child.run(`p${i}`, 0);
          child.run([`p${i}`, 1]);
          find.get(`p${i}`);
        }
      }).immediate();
    });

    const connection = await JourneyappsConnection.open(':memory:', { create: true });
    closers.push(() => connection.close());
    await connection.exec('PRAGMA foreign_keys = ON');
    await connection.exec(SCHEMA);
    await connection.replay(ops);
    // Replaying again reuses the prepared statements; the data makes it fail on the primary key.
    await expect(connection.replay(ops)).rejects.toThrow(/UNIQUE/);
    await connection.exec('ROLLBACK');
    expect(await connection.all('SELECT count(*) AS n, sum(n) AS total FROM parent', [])).toEqual([
      { n: 50, total: 1225 },
    ]);
    expect(await connection.all('SELECT count(*) AS n FROM child', [])).toEqual([{ n: 100 }]);
    expect(raw.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 100 });
  });
});
