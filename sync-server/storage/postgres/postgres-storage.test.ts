import { afterEach, describe, expect, it } from 'vitest';

import { freshPostgresUrl } from '../../test/support/postgres-test-database.js';
import { DatabaseInUseError, openPostgresStorage } from './postgres-storage.js';
import type { PostgresStorage } from './postgres-storage.js';

const opened: PostgresStorage[] = [];
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
});

async function open(url: string): Promise<PostgresStorage> {
  const storage = await openPostgresStorage(url);
  opened.push(storage);
  return storage;
}

describe('PostgresStorage', () => {
  it('lets servers share the database, and maintenance have it alone', async () => {
    const url = await freshPostgresUrl();
    const [a, b, maintenance, late] = await Promise.all([1, 2, 3, 4].map(() => open(url)));
    await a?.claim('shared');
    await b?.claim('shared');
    await expect(maintenance?.claim('exclusive')).rejects.toThrow(DatabaseInUseError);
    await a?.close();
    await b?.close();
    await maintenance?.claim('exclusive');
    await expect(late?.claim('shared')).rejects.toThrow(/maintenance command/);
    await maintenance?.close();
    await late?.claim('shared');
  });

  it('returns BIGINT values as numbers, and refuses one that a number cannot hold', async () => {
    const storage = await open(await freshPostgresUrl());
    const { rows } = await storage.db.query<{ small: number; big: number }>(
      'SELECT 9007199254740991::bigint AS small, count(*) AS big FROM server_meta',
    );
    expect(rows[0]).toEqual({ small: Number.MAX_SAFE_INTEGER, big: 1 });
    await expect(storage.db.query('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(
      RangeError,
    );
  });

  it('reports its pool for the metrics', async () => {
    const storage = await open(await freshPostgresUrl());
    await storage.transaction(async () => {
      const busy = storage.poolStats();
      expect(busy.total).toBeGreaterThanOrEqual(1);
      expect(busy.idle).toBeLessThan(busy.total);
    });
    expect(storage.poolStats()).toMatchObject({ waiting: 0 });
    expect(storage.poolStats().idle).toBe(storage.poolStats().total);
  });

  it('runs a transaction again after a serialization failure', async () => {
    const storage = await open(await freshPostgresUrl());
    let runs = 0;
    const result = await storage.transaction(async () => {
      runs += 1;
      if (runs === 1) {
        throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      }
      await storage.meta.set('k', 'v');
      return runs;
    });
    expect(result).toBe(2);
    expect(await storage.meta.get('k')).toBe('v');
  });
});
