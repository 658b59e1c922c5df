import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openSqliteStorage } from './sqlite-storage.js';
import type { SqliteStorage } from './sqlite-storage.js';

let storage: SqliteStorage;
beforeEach(() => {
  storage = openSqliteStorage(':memory:');
});
afterEach(async () => storage.close());

const T0 = Date.UTC(2030, 0, 1);

describe('SqliteCounterRepository, counters', () => {
  it('creates a counter once, then writes only from the version it read', async () => {
    const { counters } = storage;
    expect(await counters.getCounter('login_ip', '198.51.100.7')).toBeNull();
    expect(await counters.putCounter('login_ip', '198.51.100.7', null, '{"n":1}', T0)).toBe(true);
    // A second creator lost the race.
    expect(await counters.putCounter('login_ip', '198.51.100.7', null, '{"n":9}', T0)).toBe(false);
    expect(await counters.getCounter('login_ip', '198.51.100.7')).toEqual({
      state: '{"n":1}',
      version: 1,
      expiresAt: T0,
    });

    expect(await counters.putCounter('login_ip', '198.51.100.7', 1, '{"n":2}', T0 + 5)).toBe(true);
    // A writer still holding version 1 is refused and changes nothing.
    expect(await counters.putCounter('login_ip', '198.51.100.7', 1, '{"n":7}', T0)).toBe(false);
    expect(await counters.getCounter('login_ip', '198.51.100.7')).toEqual({
      state: '{"n":2}',
      version: 2,
      expiresAt: T0 + 5,
    });
    // Scopes do not share keys.
    expect(await counters.getCounter('login_account', '198.51.100.7')).toBeNull();
  });

  it('prunes what has expired, in batches, and keeps the rest', async () => {
    const { counters } = storage;
    for (let i = 0; i < 7; i += 1) {
      await counters.putCounter('second_factor', `old-${i}`, null, '{}', T0 - i);
    }
    await counters.putCounter('second_factor', 'live', null, '{}', T0 + 1);
    await counters.takeRequest('idle', T0 - 60_000, { limit: 10, windowMs: 1_000 });
    await counters.takeRequest('busy', T0, { limit: 10, windowMs: 1_000 });

    expect(await counters.pruneExpired(T0, 5)).toBe(5);
    expect(await counters.pruneExpired(T0, 5)).toBe(3);
    expect(await counters.pruneExpired(T0, 5)).toBe(0);
    expect(storage.db.prepare('SELECT key FROM counters').pluck().all()).toEqual(['live']);
    expect(storage.db.prepare('SELECT key FROM request_rates').pluck().all()).toEqual(['busy']);
  });
});

describe('SqliteCounterRepository, request rates (GCRA)', () => {
  it('allows a burst of `limit`, then one more per windowMs / limit', async () => {
    const { counters } = storage;
    const rate = { limit: 3, windowMs: 3_000 };
    const take = (key = 'a', at = T0): Promise<number> => counters.takeRequest(key, at, rate);
    expect([await take(), await take(), await take()]).toEqual([0, 0, 0]);
    expect(await take()).toBe(1_000);
    expect(await take('a', T0 + 400)).toBe(600);
    expect(await take('a', T0 + 1_000)).toBe(0);
    expect(await take('a', T0 + 1_000)).toBe(1_000);
    // Other keys have their own allowance.
    expect(await take('b')).toBe(0);
  });

  it('never saves up more than `limit`, and a clock set back refills nothing', async () => {
    const { counters } = storage;
    const rate = { limit: 2, windowMs: 1_000 };
    await counters.takeRequest('a', T0, rate);
    const later = T0 + 60_000;
    const takes = [];
    for (let i = 0; i < 3; i += 1) takes.push(await counters.takeRequest('a', later, rate));
    expect(takes).toEqual([0, 0, 500]);
    expect(await counters.takeRequest('a', later - 10_000, rate)).toBeGreaterThan(0);
  });

  it('lets exactly `limit` through at one instant when windowMs / limit is inexact', async () => {
    const { counters } = storage;
    const rate = { limit: 7, windowMs: 60_000 };
    const takes = [];
    for (let i = 0; i < 8; i += 1) takes.push(await counters.takeRequest('a', T0, rate));
    expect(takes.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(takes[7]).toBe(Math.ceil(60_000 / 7));
  });
});
