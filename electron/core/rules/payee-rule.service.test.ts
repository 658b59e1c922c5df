import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedgerFixture, T0, type LedgerFixture } from '../ledger/ledger-test-fixture.js';
import { PayeeRuleService } from './payee-rule.service.js';

let f: LedgerFixture;
let rules: PayeeRuleService;
const cleanups: Array<() => void> = [];
beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
  rules = new PayeeRuleService(f.vault);
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

const ruleRows = (): number =>
  Number(f.vault.db.prepare('SELECT count(*) FROM payee_rules').pluck().get());
const ruleChanges = () => f.outbox().filter((e) => e.change.collection === 'payee_rules');

/** Runs a refused write: its code, and whether the rules table or the outbox changed. */
function refused(fn: () => unknown): {
  code: string | undefined;
  message: string | undefined;
  wrote: boolean;
} {
  const before = [ruleRows(), f.outbox().length];
  const attempt = f.attempt(fn);
  return {
    code: attempt.code,
    message: attempt.message,
    wrote: attempt.wrote || ruleRows() !== before[0] || f.outbox().length !== before[1],
  };
}

describe('PayeeRuleService', () => {
  it('adds rules in order, resolving the category by name, and records each as a sync change', () => {
    const shopping = f.categories.create({ name: 'Shopping' });
    const amazon = rules.add({
      matchKind: 'contains',
      pattern: 'AMZN',
      renameTo: 'Amazon',
      category: 'shopping',
    });
    f.advance(1000);
    const uber = rules.add({ matchKind: 'starts_with', pattern: 'Uber', category: shopping.id });
    expect(amazon).toMatchObject({ position: 1, renameTo: 'Amazon', categoryId: shopping.id });
    expect(uber).toMatchObject({ position: 2, renameTo: null, categoryId: shopping.id });
    expect(rules.list().map((r) => r.id)).toEqual([amazon.id, uber.id]);

    const changes = ruleChanges();
    expect(changes.map((e) => [e.change.recordId, e.change.op])).toEqual([
      [amazon.id, 'upsert'],
      [uber.id, 'upsert'],
    ]);
    expect(changes[0]?.change.fields).toEqual({
      position: 1,
      matchKind: 'contains',
      pattern: 'AMZN',
      renameTo: 'Amazon',
      categoryId: shopping.id,
      createdAt: amazon.createdAt,
      updatedAt: amazon.updatedAt,
    });
  });

  it('inserts at a position and moves rules, recording only the positions that change', () => {
    const a = rules.add({ matchKind: 'contains', pattern: 'alpha', renameTo: 'A' });
    const b = rules.add({ matchKind: 'contains', pattern: 'beta', renameTo: 'B' });
    const before = f.outbox().length;
    const c = rules.add({ matchKind: 'contains', pattern: 'gamma', renameTo: 'C', position: 1 });
    expect(rules.list().map((r) => [r.id, r.position])).toEqual([
      [c.id, 1],
      [a.id, 2],
      [b.id, 3],
    ]);
    // The insert, then a and b renumbered.
    expect(f.outbox().length - before).toBe(3);

    rules.move(c.id, 3);
    expect(rules.list().map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(rules.move('3', 99).position).toBe(3);
  });

  it('removes a rule by number or id with a tombstone and a delete change', () => {
    const a = rules.add({ matchKind: 'equals', pattern: 'Rent', renameTo: 'Landlord' });
    const b = rules.add({ matchKind: 'contains', pattern: 'Netflix', renameTo: 'Netflix' });
    expect(rules.remove('1').id).toBe(a.id);
    expect(rules.list().map((r) => r.id)).toEqual([b.id]);
    rules.remove(b.id);
    expect(rules.list()).toEqual([]);
    expect(ruleRows()).toBe(2); // tombstones stay for sync
    expect(
      ruleChanges()
        .slice(-2)
        .map((e) => [e.change.recordId, e.change.op, e.change.fields]),
    ).toEqual([
      [a.id, 'delete', { deletedAt: T0, updatedAt: T0 }],
      [b.id, 'delete', { deletedAt: T0, updatedAt: T0 }],
    ]);
  });

  it('refuses bad input with a specific code, writing nothing', () => {
    rules.add({ matchKind: 'contains', pattern: 'Amazon Mktp', renameTo: 'Amazon' });
    const cases: [string, () => unknown, string][] = [
      ['no action', () => rules.add({ matchKind: 'contains', pattern: 'x' }), 'INVALID_INPUT'],
      [
        'pattern too long',
        () => rules.add({ matchKind: 'contains', pattern: 'x'.repeat(201), renameTo: 'X' }),
        'INVALID_INPUT',
      ],
      [
        'punctuation only',
        () => rules.add({ matchKind: 'contains', pattern: ' *** ', renameTo: 'X' }),
        'INVALID_INPUT',
      ],
      [
        'unknown kind',
        () => rules.add({ matchKind: 'like' as 'contains', pattern: 'x', renameTo: 'X' }),
        'INVALID_INPUT',
      ],
      [
        'same kind and pattern, other case and spacing',
        () => rules.add({ matchKind: 'contains', pattern: 'amazon   MKTP', category: 'x' }),
        'DUPLICATE',
      ],
      [
        'unknown category',
        () => rules.add({ matchKind: 'contains', pattern: 'Shell', category: 'Fuel' }),
        'NOT_FOUND',
      ],
      [
        'invalid regex',
        () => rules.add({ matchKind: 'regex', pattern: '(ab', renameTo: 'X' }),
        'INVALID_INPUT',
      ],
      ['remove past the end', () => rules.remove('2'), 'NOT_FOUND'],
      ['remove by name', () => rules.remove('Amazon'), 'INVALID_INPUT'],
      ['move to 0', () => rules.move('1', 0), 'INVALID_INPUT'],
    ];
    for (const [name, fn, code] of cases) {
      expect(refused(fn), name).toMatchObject({ code, wrote: false });
    }
    // The same pattern under another kind is another rule.
    expect(() =>
      rules.add({ matchKind: 'starts_with', pattern: 'Amazon Mktp', renameTo: 'Amazon' }),
    ).not.toThrow();
  });
});
