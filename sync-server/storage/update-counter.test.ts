import { afterEach, beforeEach, expect, it } from 'vitest';

import { HttpError } from '../http/errors.js';
import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import type { Storage } from './storage.js';
import { readCounter, updateCounter } from './update-counter.js';

let db: StorageUnderTest;
let storage: Storage;

const NOW = Date.UTC(2030, 0, 1);
type Count = { n: number };

/** The statement by which another process adds one to the stored count. */
const ADD_ONE = {
  sqlite: `UPDATE counters SET state = json_set(state, '$.n', json_extract(state, '$.n') + 1),
             version = version + 1 WHERE scope = 'second_factor' AND key = 'u1'`,
  postgres: `UPDATE counters
                SET state = jsonb_set(state::jsonb, '{n}', to_jsonb((state::jsonb->>'n')::int + 1))::text,
                    version = version + 1 WHERE scope = 'second_factor' AND key = 'u1'`,
};

/**
 * Runs `update` in a transaction in which `interfere()` issues another writer's statement:
 * statements of one transaction run in the order they are issued, on one connection, so
 * that write lands between the counter's read and its compare-and-set on both backends.
 */
function withOtherWriter(backend: 'sqlite' | 'postgres') {
  const writes: Promise<unknown>[] = [];
  return {
    interfere: (): void => {
      writes.push(db.rows(ADD_ONE[backend]));
    },
    /** `update`'s result or error; the other writer's rows are committed either way. */
    run: async <T>(update: () => Promise<T>): Promise<T> => {
      const outcome = await storage.transaction(async () => {
        try {
          return { ok: true as const, value: await update() };
        } catch (error) {
          return { ok: false as const, error };
        } finally {
          await Promise.all(writes);
        }
      });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}

const increment = (seen: number[]) => (current: Count | null) => {
  const n = (current?.n ?? 0) + 1;
  seen.push(n);
  return { next: { state: { n }, expiresAt: NOW + 1_000 }, result: n };
};

describeStorage('updateCounter', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    storage = db.storage;
  });
  afterEach(async () => storage.close());

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
    const other = withOtherWriter(backend.name);
    const result = await other.run(() =>
      updateCounter<Count, number>(storage, 'second_factor', 'u1', NOW, (current) => {
        if (interfere) {
          interfere = false;
          other.interfere();
        }
        return increment(seen)(current);
      }),
    );
    // First decision (2) lost the compare-and-set; the second saw the other write (3).
    expect(seen).toEqual([2, 3]);
    expect(result).toBe(3);
    expect(await readCounter<Count>(storage, 'second_factor', 'u1', NOW)).toEqual({ n: 3 });
  });

  it('gives up with 429 when it keeps losing, and writes nothing of its own', async () => {
    await updateCounter(storage, 'second_factor', 'u1', NOW, increment([]));
    const other = withOtherWriter(backend.name);
    const attempt = other.run(() =>
      updateCounter<Count, number>(storage, 'second_factor', 'u1', NOW, (c) => {
        other.interfere();
        return { next: { state: { n: -100 }, expiresAt: NOW + 1_000 }, result: c?.n ?? 0 };
      }),
    );
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
