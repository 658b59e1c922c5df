import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import {
  MAX_SECOND_FACTOR_FAILURES,
  SECOND_FACTOR_WINDOW_MS,
  SecondFactorGuard,
} from './second-factor-guard.js';
import type { Reservation } from './second-factor-guard.js';

let storage: SqliteStorage;
let clock: ManualClock;
let guard: SecondFactorGuard;
beforeEach(() => {
  storage = openSqliteStorage(':memory:');
  clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  guard = new SecondFactorGuard({ storage, clock });
});
afterEach(async () => storage.close());

async function reserved(userId = 'u1'): Promise<Reservation> {
  const result = await guard.reserve(userId);
  if (result.kind !== 'reserved') throw new Error(`locked until ${result.until}`);
  return result.reservation;
}

describe('SecondFactorGuard', () => {
  it('allows 10 wrong answers in a rolling hour, then refuses until the oldest is an hour old', async () => {
    expect(MAX_SECOND_FACTOR_FAILURES).toBe(10);
    const first = clock.now();
    for (let i = 0; i < 10; i += 1) {
      await reserved();
      clock.advance(60_000);
    }
    expect(await guard.lockedUntil('u1')).toBe(first + SECOND_FACTOR_WINDOW_MS);
    expect(await guard.reserve('u1')).toEqual({
      kind: 'locked',
      until: first + SECOND_FACTOR_WINDOW_MS,
    });
    // Another account is not affected.
    await reserved('u2');

    clock.set(first + SECOND_FACTOR_WINDOW_MS - 1);
    expect((await guard.reserve('u1')).kind).toBe('locked');
    clock.set(first + SECOND_FACTOR_WINDOW_MS);
    await reserved();
    // The place freed by the oldest answer is taken again; the next frees a minute later.
    expect(await guard.reserve('u1')).toEqual({
      kind: 'locked',
      until: first + 60_000 + SECOND_FACTOR_WINDOW_MS,
    });
  });

  it('a right answer gives its place back, so it never counts', async () => {
    for (let i = 0; i < 9; i += 1) await reserved();
    for (let i = 0; i < 5; i += 1) await guard.release(await reserved());
    await reserved();
    expect(await guard.reserve('u1')).toMatchObject({ kind: 'locked' });
    // Releasing a place twice, or one that is not there, changes nothing.
    await guard.release({ userId: 'u1', id: 'no-such-reservation' });
    expect(await guard.reserve('u1')).toMatchObject({ kind: 'locked' });
  });

  it('lets at most 10 of many parallel answers through', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => guard.reserve('u1')));
    expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(10);
    expect(results.filter((r) => r.kind === 'locked')).toHaveLength(15);
  });

  it('keeps the count in storage: a second guard (a restarted server) sees it', async () => {
    for (let i = 0; i < 10; i += 1) await reserved();
    const restarted = new SecondFactorGuard({ storage, clock });
    expect(await restarted.reserve('u1')).toMatchObject({ kind: 'locked' });
    expect(storage.db.prepare('SELECT scope, key FROM counters').all()).toEqual([
      { scope: 'second_factor', key: 'u1' },
    ]);
    // The row expires an hour after the last answer and is pruned then.
    clock.advance(SECOND_FACTOR_WINDOW_MS);
    expect(await storage.counters.pruneExpired(clock.now())).toBe(1);
    await reserved();
  });
});
