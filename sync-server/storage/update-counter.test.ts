import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HttpError } from '../http/errors.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import type { SqliteStorage } from './sqlite/sqlite-storage.js';
import { readCounter, updateCounter } from './update-counter.js';

let storage: SqliteStorage;
beforeEach(() => {
  storage = openSqliteStorage(':memory:');
});
afterEach(async () => storage.close());

const NOW = Date.UTC(2030, 0, 1);
type Count = { n: number };

/** Adds one, as another process on the same database file would. */
function otherWriterAddsOne(): void {
  storage.db
    .prepare(
      `UPDATE counters SET state = json_set(state, '$.n', json_extract(state, '$.n') + 1),
         version = version + 1 WHERE scope = 'second_factor' AND key = 'u1'`,
    )
    .run();
}

const increment = (seen: number[]) => (current: Count | null) => {
  const n = (current?.n ?? 0) + 1;
  seen.push(n);
  return { next: { state: { n }, expiresAt: NOW + 1_000 }, result: n };
};

describe('updateCounter', () => {
  it('creates, then changes a counter; an expired one reads as absent', async () => {
    const seen: number[] = [];
    expect(await updateCounter(storage, 'second_factor', 'u1', NOW, increment(seen))).toBe(1);
    expect(await updateCounter(storage, 'second_factor', 'u1', NOW, increment(seen))).toBe(2);
    expect(await readCounter<Count>(storage, 'second_factor', 'u1', NOW)).toEqual({ n: 2 });
    expect(await readCounter<Count>(storage, 'second_factor', 'u1', NOW + 1_000)).toBeNull();
    expect(await updateCounter(storage, 'second_factor', 'u1', NOW + 1_000, increment(seen))).toBe(
      1,
    );
  });

  it('loses none of many concurrent changes', async () => {
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 25 }, () =>
        updateCounter(storage, 'second_factor', 'u1', NOW, increment(seen)),
      ),
    );
    expect(await readCounter<Count>(storage, 'second_factor', 'u1', NOW)).toEqual({ n: 25 });
  });

  it('decides again on what another process stored in between, never overwriting it', async () => {
    await updateCounter(storage, 'second_factor', 'u1', NOW, increment([]));
    const seen: number[] = [];
    let interfere = true;
    const result = await updateCounter<Count, number>(
      storage,
      'second_factor',
      'u1',
      NOW,
      (current) => {
        if (interfere) {
          interfere = false;
          otherWriterAddsOne();
        }
        return increment(seen)(current);
      },
    );
    // First decision (2) lost the compare-and-set; the second saw the other write (3).
    expect(seen).toEqual([2, 3]);
    expect(result).toBe(3);
    expect(await readCounter<Count>(storage, 'second_factor', 'u1', NOW)).toEqual({ n: 3 });
  });

  it('gives up with 429 when it keeps losing, and writes nothing of its own', async () => {
    await updateCounter(storage, 'second_factor', 'u1', NOW, increment([]));
    const attempt = updateCounter<Count, number>(storage, 'second_factor', 'u1', NOW, (c) => {
      otherWriterAddsOne();
      return { next: { state: { n: -100 }, expiresAt: NOW + 1_000 }, result: c?.n ?? 0 };
    });
    await expect(attempt).rejects.toBeInstanceOf(HttpError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    const after = await readCounter<Count>(storage, 'second_factor', 'u1', NOW);
    expect(after?.n).toBeGreaterThan(1);
  });

  it('writes nothing when the decision says so', async () => {
    expect(
      await updateCounter(storage, 'second_factor', 'u1', NOW, () => ({ next: null, result: 7 })),
    ).toBe(7);
    expect(await storage.counters.getCounter('second_factor', 'u1')).toBeNull();
  });
});
