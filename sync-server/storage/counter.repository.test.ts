import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import type { Storage } from './storage.js';

let db: StorageUnderTest;
let storage: Storage;

const T0 = Date.UTC(2030, 0, 1);

describeStorage('CounterRepository', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    storage = db.storage;
  });
  afterEach(async () => storage.close());

  describe('counters', () => {
    it('creates a counter, then moves it one version per write; an expired row reads as absent', async () => {
      const { counters } = storage;
      const seen: (string | null)[] = [];
      const put = (state: string, expiresAt: number, at = T0) =>
        counters.updateCounter('login_ip', '198.51.100.7', at, (current) => {
          seen.push(current);
          return { next: { state, expiresAt }, result: state };
        });
      expect(await counters.getCounter('login_ip', '198.51.100.7')).toBeNull();
      expect(await put('{"n":1}', T0 + 10)).toEqual({ ok: true, result: '{"n":1}' });
      expect(await put('{"n":2}', T0 + 20)).toEqual({ ok: true, result: '{"n":2}' });
      expect(await counters.getCounter('login_ip', '198.51.100.7')).toEqual({
        state: '{"n":2}',
        version: 2,
        expiresAt: T0 + 20,
      });
      // Read at its expiry, the row is absent to `decide`, and the write goes over it.
      await put('{"n":1}', T0 + 40, T0 + 20);
      expect(seen).toEqual([null, '{"n":1}', null]);
      expect((await counters.getCounter('login_ip', '198.51.100.7'))?.version).toBe(3);
      // Scopes do not share keys; a decision to write nothing writes nothing.
      expect(
        await counters.updateCounter('login_account', '198.51.100.7', T0, () => ({
          next: null,
          result: 'left alone',
        })),
      ).toEqual({ ok: true, result: 'left alone' });
      expect(await counters.getCounter('login_account', '198.51.100.7')).toBeNull();
    });

    it('decides again when another process wrote in between, and gives up after a few rounds', async () => {
      const { counters } = storage;
      await counters.updateCounter('second_factor', 'u1', T0, () => ({
        next: { state: '0', expiresAt: T0 + 10 },
        result: null,
      }));
      // Another process writing the same row, as the compare-and-set must withstand. Inside one
      // transaction the statements run in the order they are issued, on one connection, so
      // this write lands between the counter's read and its compare-and-set on both backends.
      const writes: Promise<unknown>[] = [];
      const otherProcessWrites = (): void => {
        writes.push(
          db.rows(
            "UPDATE counters SET state = state || '+', version = version + 1 WHERE key = 'u1'",
          ),
        );
      };
      const interleaved = <T>(update: () => Promise<T>): Promise<T> =>
        storage.transaction(async () => {
          const result = await update();
          await Promise.all(writes);
          return result;
        });
      let rounds = 0;
      const once = await interleaved(() =>
        counters.updateCounter('second_factor', 'u1', T0, (state) => {
          rounds += 1;
          if (rounds === 1) otherProcessWrites();
          return { next: { state: `${state ?? ''}!`, expiresAt: T0 + 10 }, result: state };
        }),
      );
      // The first decision was made on '0' and lost; the second saw the other write.
      expect(once).toEqual({ ok: true, result: '0+' });
      expect((await counters.getCounter('second_factor', 'u1'))?.state).toBe('0+!');

      const always = await interleaved(() =>
        counters.updateCounter('second_factor', 'u1', T0, () => {
          otherProcessWrites();
          return { next: { state: 'never stored', expiresAt: T0 + 10 }, result: 1 };
        }),
      );
      expect(always).toEqual({ ok: false });
      expect((await counters.getCounter('second_factor', 'u1'))?.state).not.toContain('never');
    });

    it('prunes what has expired, in batches, and keeps the rest', async () => {
      const { counters } = storage;
      const put = (key: string, expiresAt: number) =>
        counters.updateCounter('second_factor', key, T0 - 1_000, () => ({
          next: { state: '{}', expiresAt },
          result: null,
        }));
      for (let i = 0; i < 7; i += 1) await put(`old-${i}`, T0 - i);
      await put('live', T0 + 1);
      await counters.takeRequest('idle', T0 - 60_000, { limit: 10, windowMs: 1_000 });
      await counters.takeRequest('busy', T0, { limit: 10, windowMs: 1_000 });

      expect(await counters.pruneExpired(T0, 5)).toBe(5);
      expect(await counters.pruneExpired(T0, 5)).toBe(3);
      expect(await counters.pruneExpired(T0, 5)).toBe(0);
      expect(await db.column('SELECT key FROM counters')).toEqual(['live']);
      expect(await db.column('SELECT key FROM request_rates')).toEqual(['busy']);
    });
  });

  describe('request rates (GCRA)', () => {
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
});
