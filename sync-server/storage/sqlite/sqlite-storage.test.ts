import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteStorage } from './sqlite-storage.js';
import type { SqliteStorage } from './sqlite-storage.js';

let storage: SqliteStorage;
afterEach(async () => storage.close());

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SqliteStorage', () => {
  it('opens a WAL database file with mode 0600, foreign keys on, synchronous FULL', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'coffer-storage-'));
    try {
      storage = openSqliteStorage(path.join(dir, 'x.db'));
      expect(storage.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(storage.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(storage.db.pragma('synchronous', { simple: true })).toBe(2);
      expect((await stat(path.join(dir, 'x.db'))).mode & 0o777).toBe(0o600);
    } finally {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('commits a transaction spanning awaits', async () => {
    storage = openSqliteStorage(':memory:');
    const result = await storage.transaction(async () => {
      await storage.meta.set('a', '1');
      await tick();
      await storage.meta.set('b', '2');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await storage.meta.get('a')).toBe('1');
    expect(await storage.meta.get('b')).toBe('2');
  });

  it('rolls everything back when the body throws', async () => {
    storage = openSqliteStorage(':memory:');
    await expect(
      storage.transaction(async () => {
        await storage.meta.set('a', '1');
        await tick();
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await storage.meta.get('a')).toBeNull();
    expect(storage.db.inTransaction).toBe(false);
  });

  it('keeps other callers out of an open transaction until it ends', async () => {
    storage = openSqliteStorage(':memory:');
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = storage.transaction(async () => {
      await storage.meta.set('x', 'inside');
      events.push('tx wrote');
      await gate;
      throw new Error('abort');
    });
    await tick();
    const outsider = storage.meta.set('y', 'outside').then(() => events.push('outsider wrote'));
    const reader = storage.meta
      .get('x')
      .then((value) => events.push(`reader saw ${String(value)}`));
    await tick();
    expect(events).toEqual(['tx wrote']);
    release();
    await expect(tx).rejects.toThrow('abort');
    await Promise.all([outsider, reader]);
    // The outsider's write was not swept into the rolled-back transaction.
    expect(await storage.meta.get('y')).toBe('outside');
    expect(events).toEqual(['tx wrote', 'outsider wrote', 'reader saw null']);
  });

  it('runs transactions one after another and lets a nested one join', async () => {
    storage = openSqliteStorage(':memory:');
    const order: string[] = [];
    await Promise.all(
      ['1', '2', '3'].map((n) =>
        storage.transaction(async () => {
          order.push(`start ${n}`);
          await tick();
          await storage.transaction(async () => storage.meta.set(`k${n}`, n));
          order.push(`end ${n}`);
        }),
      ),
    );
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(await storage.meta.get('k3')).toBe('3');
  });
});
