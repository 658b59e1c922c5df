import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedgerFixture, type LedgerFixture } from './ledger-test-fixture.js';

let f: LedgerFixture;
const cleanups: Array<() => void> = [];
beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

describe('CategoryService', () => {
  it('creates trees of one kind and resolves by name or id', () => {
    const home = f.categories.create({ name: 'Home' });
    const rent = f.categories.create({ name: 'Rent', parentId: 'home' });
    expect(rent).toMatchObject({ kind: 'expense', parentId: home.id, archived: false });
    expect(f.categories.resolveCategory('RENT')).toEqual(rent);
    expect(f.categories.resolveCategory(rent.id)).toEqual(rent);
    expect(f.outbox().map((e) => e.change.collection)).toEqual(['categories', 'categories']);
    expect(
      f.attempt(() => f.categories.create({ name: 'Bonus', kind: 'income', parentId: 'Home' })),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      wrote: false,
    });
  });

  it('refuses duplicates, unknown parents and cycles, writing nothing', () => {
    const a = f.categories.create({ name: 'A' });
    const b = f.categories.create({ name: 'B', parentId: a.id });
    const c = f.categories.create({ name: 'C', parentId: b.id });
    expect(f.attempt(() => f.categories.create({ name: 'a' }))).toMatchObject({
      code: 'DUPLICATE',
      wrote: false,
    });
    expect(f.attempt(() => f.categories.create({ name: 'D', parentId: 'Nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      wrote: false,
    });
    expect(f.attempt(() => f.categories.update(a.id, { parentId: c.id }))).toMatchObject({
      code: 'INVALID_INPUT',
      wrote: false,
    });
    expect(f.attempt(() => f.categories.update(a.id, { parentId: a.id }))).toMatchObject({
      code: 'INVALID_INPUT',
      wrote: false,
    });
    expect(f.attempt(() => f.categories.update(a.id, { kind: 'income' }))).toMatchObject({
      code: 'INVALID_INPUT',
      wrote: false,
    });
    expect(f.categories.update(c.id, { parentId: null }).parentId).toBeNull();
  });

  it('archives categories in use and deletes only unused ones', () => {
    f.accounts.create({ name: 'Cash', currency: 'USD', kind: 'cash' });
    const food = f.categories.create({ name: 'Food' });
    const unused = f.categories.create({ name: 'Unused' });
    f.transactions.create({
      accountId: 'Cash',
      date: '2025-01-01',
      amountMinor: -5,
      splits: [{ categoryId: 'Food', amountMinor: -5 }],
    });
    expect(f.attempt(() => f.categories.delete('Food'))).toMatchObject({
      code: 'INVALID_STATE',
      wrote: false,
    });
    f.categories.archive('Food');
    expect(f.categories.list().map((c) => c.name)).toEqual(['Unused']);
    expect(f.categories.list({ includeArchived: true }).map((c) => c.name)).toEqual([
      'Food',
      'Unused',
    ]);
    expect(f.categories.get(food.id).archived).toBe(true);
    f.categories.delete(unused.id);
    expect(f.attempt(() => f.categories.get('Unused')).code).toBe('NOT_FOUND');
    expect(f.outbox().at(-1)?.change).toMatchObject({ op: 'delete', recordId: unused.id });
  });
});
