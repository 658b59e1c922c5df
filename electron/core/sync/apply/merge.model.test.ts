/**
 * Model test of the merge (issue 9, point 8): three devices with real vaults make random
 * edits to a few shared transactions — concurrent ones included — and exchange them through
 * an in-memory log in random orders, with duplicates and reconnections. Once everything has
 * been delivered, every device must hold the same rows, clocks and conflicts, every change
 * applied exactly once and none lost, and the same money totals.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../../shared/sync/change.js';
import { T0, canonicalDump, createDevice, type Device } from './apply-test-kit.js';

type Op =
  | { kind: 'create'; dev: number; amount: number }
  | { kind: 'notes'; dev: number; pick: number; text: string }
  | { kind: 'amount'; dev: number; pick: number; amount: number }
  | { kind: 'delete'; dev: number; pick: number }
  | { kind: 'push'; dev: number }
  | { kind: 'deliver'; dev: number; picks: number[] }
  | { kind: 'reconnect'; dev: number; from: number }
  | { kind: 'tick'; ms: number };

const DEVICES = 3;
const dev = fc.integer({ min: 0, max: DEVICES - 1 });
const amount = fc.integer({ min: -500_000, max: 500_000 }).filter((n) => n !== 0);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), dev, amount }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('notes' as const),
      dev,
      pick: fc.nat(),
      text: fc.string({ maxLength: 8 }),
    }),
  },
  // Amount edits and deliveries dominate: concurrent and out-of-order money edits are the point.
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('amount' as const), dev, pick: fc.nat(), amount }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), dev, pick: fc.nat() }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('push' as const), dev }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      dev,
      picks: fc.array(fc.nat(), { maxLength: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reconnect' as const), dev, from: fc.nat() }),
  },
  // 0 ms keeps several edits in the same millisecond: ties are broken by counter and device.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
    }),
  },
);

/** Deterministic shuffle from a seed, so a failing run replays from fast-check's seed alone. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

let devices: Device[] = [];
/** How many scenarios ended with a conflict or a tombstone: the property must exercise both. */
const seen = { conflicts: 0, deletes: 0 };
afterEach(() => {
  for (const d of devices) d.cleanup();
  devices = [];
});

function liveIds(d: Device): string[] {
  return d.vault.db
    .prepare<[], string>('SELECT id FROM transactions WHERE deleted_at IS NULL ORDER BY id')
    .pluck()
    .all();
}

function moneyTotal(d: Device): number {
  return Number(
    d.vault.db
      .prepare('SELECT coalesce(sum(amount_minor), 0) FROM transactions WHERE deleted_at IS NULL')
      .pluck()
      .get(),
  );
}

async function runScenario(
  ops: readonly Op[],
  finalSeeds: readonly number[],
  skews: readonly number[],
): Promise<void> {
  for (const d of devices) d.cleanup();
  devices = [];
  for (let i = 0; i < DEVICES; i++) devices.push(await createDevice(T0 + (skews[i] ?? 0)));
  const log: Change[] = [];
  let now = T0;
  const setNow = (): void => devices.forEach((d, i) => d.setNow(now + (skews[i] ?? 0)));
  const at = (i: number): Device => devices[i] as Device;
  const push = (i: number): void => {
    log.push(...at(i).drain());
  };
  const apply = (i: number, changes: Change[]): void => {
    const result = at(i).applier.apply(changes);
    expect(result.refused).toEqual([]);
  };

  at(0).accounts.create({ name: 'Checking', currency: 'EUR' });
  push(0);
  for (let i = 1; i < DEVICES; i++) apply(i, log);

  for (const step of ops) {
    setNow();
    const d = 'dev' in step ? at(step.dev) : undefined;
    switch (step.kind) {
      case 'tick':
        now += step.ms;
        break;
      case 'create':
        d?.transactions.create({
          accountId: 'Checking',
          date: '2026-01-09',
          amountMinor: step.amount,
        });
        break;
      case 'notes':
      case 'amount':
      case 'delete': {
        if (d === undefined) break;
        const ids = liveIds(d);
        if (ids.length === 0) break;
        const id = ids[step.pick % ids.length] as string;
        if (step.kind === 'notes') d.transactions.update(id, { notes: step.text });
        else if (step.kind === 'amount') d.transactions.update(id, { amountMinor: step.amount });
        else d.transactions.delete(id);
        break;
      }
      case 'push':
        push(step.dev);
        break;
      case 'deliver':
        if (log.length > 0)
          apply(
            step.dev,
            step.picks.map((p) => log[p % log.length] as Change),
          );
        break;
      case 'reconnect':
        // Pulls again from an earlier point, as after a lost connection: all duplicates.
        if (log.length > 0) apply(step.dev, log.slice(step.from % log.length));
        break;
    }
  }

  for (let i = 0; i < DEVICES; i++) push(i);
  for (let i = 0; i < DEVICES; i++) {
    const all = shuffled(
      [...log, ...log.slice(0, (finalSeeds[i] ?? 0) % (log.length + 1))],
      finalSeeds[i] ?? 1,
    );
    // In a few batches, so that changes waiting for their record span batch boundaries.
    const third = Math.ceil(all.length / 3);
    for (let k = 0; k < all.length; k += third) apply(i, all.slice(k, k + third));
  }

  if (at(0).conflicts.list().length > 0) seen.conflicts++;
  if (
    liveIds(at(0)).length <
    Number(at(0).vault.db.prepare('SELECT count(*) FROM transactions').pluck().get())
  ) {
    seen.deletes++;
  }
  const reference = canonicalDump(at(0));
  for (let i = 1; i < DEVICES; i++) expect(canonicalDump(at(i))).toEqual(reference);
  const ids = new Set(log.map((c) => c.id));
  expect(ids.size).toBe(log.length);
  for (let i = 0; i < DEVICES; i++) {
    const x = at(i);
    const pending = x.vault.db.prepare('SELECT count(*) FROM sync_pending').pluck().get();
    expect(pending).toBe(0);
    // Every other device's change is known as applied (its HLC stamps a field of its record
    // or is in the seen set): delivered again, each one is alreadyHad and changes nothing.
    const others = log.filter((c) => c.deviceId !== x.vault.deviceId);
    const before = canonicalDump(x);
    const again = x.applier.apply(others);
    expect(again).toEqual({
      applied: 0,
      alreadyHad: others.length,
      conflicts: 0,
      deferred: 0,
      refused: [],
    });
    expect(canonicalDump(x)).toEqual(before);
    expect(x.vault.changes.pending()).toEqual([]);
    expect(moneyTotal(x)).toBe(moneyTotal(at(0)));
    expect(x.conflicts.list().map((c) => [c.id, c.mine.value, c.theirs.value])).toEqual(
      at(0)
        .conflicts.list()
        .map((c) => [c.id, c.mine.value, c.theirs.value]),
    );
  }
}

describe('merge model: three devices, random edits and deliveries', () => {
  it('all devices converge to the same rows, conflicts and totals; no change lost or applied twice', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 5, maxLength: 60 }),
        fc.array(fc.nat(), { minLength: DEVICES, maxLength: DEVICES }),
        fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: DEVICES, maxLength: DEVICES }),
        runScenario,
      ),
      {
        numRuns: 30,
        examples: [
          [
            [
              { kind: 'create', dev: 0, amount: -100 },
              { kind: 'push', dev: 0 },
              { kind: 'deliver', dev: 1, picks: [1, 0] },
              { kind: 'deliver', dev: 2, picks: [1] },
              { kind: 'amount', dev: 0, pick: 0, amount: -200 },
              { kind: 'amount', dev: 1, pick: 0, amount: -300 },
              { kind: 'tick', ms: 10 },
              { kind: 'notes', dev: 2, pick: 0, text: 'x' },
              { kind: 'delete', dev: 0, pick: 0 },
            ],
            [7, 3, 11],
            [0, 40, -40],
          ],
        ],
      },
    );
    expect(seen.conflicts).toBeGreaterThan(0);
    expect(seen.deletes).toBeGreaterThan(0);
  }, 300_000);
});
