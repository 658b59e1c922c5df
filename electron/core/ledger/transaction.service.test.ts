import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account, Category } from '../../../shared/domain/ledger.schema.js';
import { compareHlc } from '../../../shared/hlc/hlc.js';
import { createLedgerFixture, T0, type LedgerFixture } from './ledger-test-fixture.js';

let f: LedgerFixture;
let checking: Account;
let euro: Account;
let food: Category;
let rent: Category;
let salary: Category;
const cleanups: Array<() => void> = [];

beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
  checking = f.accounts.create({ name: 'Checking', currency: 'USD', openingBalanceMinor: 10_000 });
  euro = f.accounts.create({ name: 'Euro', currency: 'EUR' });
  food = f.categories.create({ name: 'Food' });
  rent = f.categories.create({ name: 'Rent' });
  salary = f.categories.create({ name: 'Salary', kind: 'income' });
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function expectRejected(fn: () => unknown, code: string): string {
  const result = f.attempt(fn);
  expect(result).toMatchObject({ code, wrote: false });
  return result.message ?? '';
}

const UNKNOWN_ID = '01890a5d-ac96-774b-bcce-b302099a8057';

describe('TransactionService.create', () => {
  it('creates by account and category name, defaulting the currency to the account', () => {
    const tx = f.transactions.create({
      accountId: 'checking',
      date: '2025-01-10',
      amountMinor: -1234,
      categoryId: 'FOOD',
      payeeName: 'Corner Shop',
      notes: 'lunch',
    });
    expect(tx).toMatchObject({
      accountId: checking.id,
      date: '2025-01-10',
      amountMinor: -1234,
      currency: 'USD',
      categoryId: food.id,
      payeeName: 'Corner Shop',
      notes: 'lunch',
      importId: null,
      importBatch: null,
      splits: [],
      createdAt: T0,
      updatedAt: T0,
    });
    expect(f.transactions.get(tx.id)).toEqual(tx);
  });

  it('finds payees case-insensitively and records the payee and the transaction as changes', () => {
    const before = f.outbox().length;
    const a = f.transactions.create({
      accountId: checking.id,
      date: '2025-01-10',
      amountMinor: -1,
      payeeName: 'Café Noir',
    });
    const b = f.transactions.create({
      accountId: checking.id,
      date: '2025-01-11',
      amountMinor: -2,
      payeeName: 'CAFÉ NOIR',
    });
    expect(b.payeeId).toBe(a.payeeId);
    expect(b.payeeName).toBe('Café Noir');
    expect(f.payees.list()).toHaveLength(1);

    const changes = f
      .outbox()
      .slice(before)
      .map((e) => e.change);
    expect(changes.map((c) => c.collection)).toEqual(['payees', 'transactions', 'transactions']);
    expect(changes[1]?.fields).toEqual({
      accountId: checking.id,
      date: '2025-01-10',
      amountMinor: -1,
      currency: 'USD',
      payeeId: a.payeeId,
      categoryId: null,
      notes: '',
      importId: null,
      importBatch: null,
      importKey: null,
      splits: [],
      createdAt: T0,
      updatedAt: T0,
    });
    expect(Object.values(changes[1]?.base ?? {}).every((v) => v === null)).toBe(true);
  });

  it('refuses a currency other than the account one with CURRENCY_MISMATCH', () => {
    const message = expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -100,
          currency: 'EUR',
        }),
      'CURRENCY_MISMATCH',
    );
    expect(message).toMatch(/Checking.*USD/);
  });

  it('refuses float, NaN, infinite and unsafe amounts with INVALID_AMOUNT', () => {
    for (const amountMinor of [12.34, Number.NaN, Infinity, 2 ** 60, '1234']) {
      const message = expectRejected(
        () =>
          f.transactions.create({
            accountId: 'Checking',
            date: '2025-01-10',
            amountMinor,
          } as never),
        'INVALID_AMOUNT',
      );
      expect(message).toMatch(/amountMinor/);
    }
  });

  it('refuses impossible dates with INVALID_DATE', () => {
    for (const date of ['2025-02-30', '2025-13-01', '10/01/2025', '2025-1-1', '']) {
      expectRejected(
        () => f.transactions.create({ accountId: 'Checking', date, amountMinor: -1 }),
        'INVALID_DATE',
      );
    }
  });

  it('refuses unknown accounts, categories and payees with NOT_FOUND, creating no payee', () => {
    expect(
      expectRejected(
        () => f.transactions.create({ accountId: 'Nope', date: '2025-01-10', amountMinor: -1 }),
        'NOT_FOUND',
      ),
    ).toBe('No account named "Nope"');
    expectRejected(
      () => f.transactions.create({ accountId: UNKNOWN_ID, date: '2025-01-10', amountMinor: -1 }),
      'NOT_FOUND',
    );
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -1,
          payeeName: 'Brand new payee',
          categoryId: 'Groceries',
        }),
      'NOT_FOUND',
    );
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -1,
          splits: [{ categoryId: 'Nope', amountMinor: -1 }],
        }),
      'NOT_FOUND',
    );
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -1,
          payeeId: UNKNOWN_ID,
        }),
      'NOT_FOUND',
    );
  });

  it('refuses unknown fields and a category on a split transaction', () => {
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -1,
          amount: -1,
        } as never),
      'INVALID_INPUT',
    );
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -100,
          categoryId: 'Food',
          splits: [{ categoryId: 'Food', amountMinor: -100 }],
        }),
      'INVALID_INPUT',
    );
  });

  it('stores splits in order and refuses splits that do not add up exactly', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -10_000,
      splits: [
        { categoryId: 'Rent', amountMinor: -7_000, memo: 'half' },
        { categoryId: 'Food', amountMinor: -3_500 },
        { categoryId: 'Salary', amountMinor: 500, memo: 'refund' },
      ],
    });
    expect(tx.categoryId).toBeNull();
    expect(f.transactions.get(tx.id).splits).toEqual([
      { categoryId: rent.id, amountMinor: -7_000, memo: 'half' },
      { categoryId: food.id, amountMinor: -3_500, memo: '' },
      { categoryId: salary.id, amountMinor: 500, memo: 'refund' },
    ]);
    const message = expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -10_000,
          splits: [
            { categoryId: 'Rent', amountMinor: -5_000 },
            { categoryId: 'Food', amountMinor: -4_999 },
          ],
        }),
      'SPLITS_DO_NOT_SUM',
    );
    expect(message).toBe('Splits add up to -99.99 USD but the transaction amount is -100.00 USD');
  });

  it('refuses new transactions in an archived account', () => {
    f.accounts.archive('Euro');
    expectRejected(
      () => f.transactions.create({ accountId: 'Euro', date: '2025-01-10', amountMinor: -1 }),
      'INVALID_STATE',
    );
  });

  it('refuses a second transaction with the same import id in one account', () => {
    f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -1,
      importId: 'FIT1',
    });
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-11',
          amountMinor: -2,
          importId: 'FIT1',
        }),
      'DUPLICATE',
    );
    f.transactions.create({
      accountId: 'Euro',
      date: '2025-01-10',
      amountMinor: -1,
      importId: 'FIT1',
    });
  });
});

describe('TransactionService.update', () => {
  it('records only the edited fields, with base = the HLC each replaced', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -100,
      categoryId: 'Food',
    });
    const created = f.outbox().at(-1)?.change;
    f.advance(5_000);
    const updated = f.transactions.update(tx.id, { amountMinor: -150, notes: 'more' });
    expect(updated).toMatchObject({
      amountMinor: -150,
      notes: 'more',
      categoryId: food.id,
      updatedAt: T0 + 5_000,
    });
    const change = f.outbox().at(-1)?.change;
    expect(change).toMatchObject({ collection: 'transactions', recordId: tx.id, op: 'upsert' });
    expect(change?.fields).toEqual({ amountMinor: -150, notes: 'more', updatedAt: T0 + 5_000 });
    expect(change?.base).toEqual({
      amountMinor: created?.hlc,
      notes: created?.hlc,
      updatedAt: created?.hlc,
    });

    f.advance(1);
    f.transactions.update(tx.id, { amountMinor: -175 });
    const third = f.outbox().at(-1)?.change;
    expect(third?.base).toEqual({ amountMinor: change?.hlc, updatedAt: change?.hlc });
    const hlcs = f.outbox().map((e) => e.change.hlc);
    expect([...hlcs].sort(compareHlc)).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(hlcs.length);
  });

  it('writes nothing when nothing changes', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -100,
    });
    const before = f.counts();
    expect(f.transactions.update(tx.id, { amountMinor: -100, date: '2025-01-10' })).toEqual(tx);
    expect(f.counts()).toEqual(before);
  });

  it('keeps split sums true across edits', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -1000,
      splits: [
        { categoryId: 'Food', amountMinor: -600 },
        { categoryId: 'Rent', amountMinor: -400 },
      ],
    });
    expectRejected(() => f.transactions.update(tx.id, { amountMinor: -1001 }), 'SPLITS_DO_NOT_SUM');
    const resplit = f.transactions.update(tx.id, {
      amountMinor: -1001,
      splits: [
        { categoryId: 'Food', amountMinor: -1 },
        { categoryId: 'Rent', amountMinor: -1000 },
      ],
    });
    expect(resplit.splits.map((s) => s.amountMinor)).toEqual([-1, -1000]);
    expect(f.transactions.get(tx.id).splits.map((s) => s.amountMinor)).toEqual([-1, -1000]);

    const whole = f.transactions.update(tx.id, { categoryId: 'Food' });
    expect(whole).toMatchObject({ categoryId: food.id, splits: [] });
    expect(f.transactions.get(tx.id)).toMatchObject({ categoryId: food.id, splits: [] });

    const split = f.transactions.update(tx.id, {
      splits: [{ categoryId: 'Rent', amountMinor: -1001 }],
    });
    expect(split).toMatchObject({
      categoryId: null,
      splits: [{ categoryId: rent.id, amountMinor: -1001, memo: '' }],
    });
  });

  it('checks the currency against the account the transaction moves to', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -100,
    });
    expectRejected(() => f.transactions.update(tx.id, { accountId: 'Euro' }), 'CURRENCY_MISMATCH');
    const moved = f.transactions.update(tx.id, { accountId: 'Euro', currency: 'EUR' });
    expect(moved).toMatchObject({ accountId: euro.id, currency: 'EUR' });
  });

  it('sets, changes and clears the payee', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -100,
    });
    const withPayee = f.transactions.update(tx.id, { payeeName: 'Landlord' });
    expect(withPayee.payeeName).toBe('Landlord');
    expect(f.transactions.get(tx.id).payeeName).toBe('Landlord');
    expect(f.transactions.update(tx.id, { payeeId: null })).toMatchObject({
      payeeId: null,
      payeeName: null,
    });
  });

  it('validates with specific codes and writes nothing', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -100,
    });
    expectRejected(() => f.transactions.update(tx.id, { amountMinor: 0.5 }), 'INVALID_AMOUNT');
    expectRejected(() => f.transactions.update(tx.id, { date: '2025-02-29' }), 'INVALID_DATE');
    expectRejected(() => f.transactions.update(tx.id, { categoryId: 'Nope' }), 'NOT_FOUND');
    expectRejected(() => f.transactions.update(UNKNOWN_ID, { notes: 'x' }), 'NOT_FOUND');
    expectRejected(() => f.transactions.update('not-an-id', { notes: 'x' }), 'NOT_FOUND');
  });
});

describe('TransactionService.delete', () => {
  it('tombstones: the row stays, reads skip it, a delete change is recorded', () => {
    const tx = f.transactions.create({
      accountId: 'Checking',
      date: '2025-01-10',
      amountMinor: -100,
      importId: 'X1',
    });
    f.advance(10);
    f.transactions.delete(tx.id);
    expect(f.attempt(() => f.transactions.get(tx.id)).code).toBe('NOT_FOUND');
    expect(f.transactions.list()).toEqual([]);
    expect(
      f.vault.db.prepare('SELECT deleted_at FROM transactions WHERE id = ?').pluck().get(tx.id),
    ).toBe(T0 + 10);
    expect(f.outbox().at(-1)?.change).toMatchObject({
      collection: 'transactions',
      recordId: tx.id,
      op: 'delete',
      fields: { deletedAt: T0 + 10, updatedAt: T0 + 10 },
    });
    expectRejected(() => f.transactions.delete(tx.id), 'NOT_FOUND');
    // A deleted imported transaction is not brought back by importing it again.
    expectRejected(
      () =>
        f.transactions.create({
          accountId: 'Checking',
          date: '2025-01-10',
          amountMinor: -100,
          importId: 'X1',
        }),
      'DUPLICATE',
    );
  });
});

describe('TransactionService.list', () => {
  function add(date: string, amountMinor: number, extra: Record<string, unknown> = {}): string {
    return f.transactions.create({ accountId: 'Checking', date, amountMinor, ...extra }).id;
  }

  it('orders by date then id, newest first, and pages', () => {
    const ids = [
      add('2025-01-02', -1),
      add('2025-01-01', -2),
      add('2025-01-02', -3),
      add('2025-01-03', -4),
    ];
    const listed = f.transactions.list().map((t) => t.id);
    expect(listed).toEqual([ids[3], ids[2], ids[0], ids[1]]);
    expect(f.transactions.list({ limit: 2, offset: 1 }).map((t) => t.id)).toEqual([ids[2], ids[0]]);
    expect(f.transactions.count()).toBe(4);
  });

  it('filters by account, month (inclusive bounds) and category including splits', () => {
    const jan31 = add('2025-01-31', -1, { categoryId: 'Food' });
    const feb1 = add('2025-02-01', -2, { categoryId: 'Rent' });
    const feb28 = add('2025-02-28', -3, {
      splits: [
        { categoryId: 'Food', amountMinor: -1 },
        { categoryId: 'Rent', amountMinor: -2 },
      ],
    });
    const mar1 = add('2025-03-01', -4);
    const eur = f.transactions.create({
      accountId: 'Euro',
      date: '2025-02-15',
      amountMinor: -5,
      categoryId: 'Food',
    }).id;

    expect(f.transactions.list({ month: '2025-01' }).map((t) => t.id)).toEqual([jan31]);
    expect(f.transactions.list({ month: '2025-02' }).map((t) => t.id)).toEqual([feb28, eur, feb1]);
    expect(
      f.transactions.list({ month: '2025-02', accountId: 'checking' }).map((t) => t.id),
    ).toEqual([feb28, feb1]);
    expect(f.transactions.list({ categoryId: 'Food' }).map((t) => t.id)).toEqual([
      feb28,
      eur,
      jan31,
    ]);
    expect(f.transactions.list({ categoryId: 'Rent', month: '2025-02' }).map((t) => t.id)).toEqual([
      feb28,
      feb1,
    ]);
    expect(f.transactions.list({ accountId: 'Euro', categoryId: 'Rent' })).toEqual([]);
    expect(f.transactions.list({ from: '2025-02-28', to: '2025-03-01' }).map((t) => t.id)).toEqual([
      mar1,
      feb28,
    ]);
    expect(f.transactions.list({ month: '2025-02', from: '2025-03-01' })).toEqual([]);
    expect(f.transactions.count({ month: '2025-02' })).toBe(3);
    expect(
      f.transactions.list({ month: '2025-02', accountId: 'Checking' })[0]?.splits,
    ).toHaveLength(2);
  });

  it('searches payee names, notes and split memos, combined with the other filters', () => {
    const byPayee = add('2025-02-01', -1, { payeeName: 'Corner Bakery' });
    const byNotes = add('2025-02-02', -2, { notes: 'bread for the BAKERY run' });
    const byMemo = add('2025-02-03', -3, {
      splits: [
        { categoryId: 'Food', amountMinor: -1, memo: 'bakery part' },
        { categoryId: 'Rent', amountMinor: -2 },
      ],
    });
    const other = add('2025-02-04', -4, { payeeName: 'Landlord', notes: 'rent' });
    const eur = f.transactions.create({
      accountId: 'Euro',
      date: '2025-02-05',
      amountMinor: -5,
      notes: 'bakery in Paris',
    }).id;

    expect(f.transactions.list({ search: 'bakery' }).map((t) => t.id)).toEqual([
      eur,
      byMemo,
      byNotes,
      byPayee,
    ]);
    expect(f.transactions.count({ search: 'Bakery' })).toBe(4);
    expect(
      f.transactions.list({ search: 'bakery', accountId: 'Checking' }).map((t) => t.id),
    ).toEqual([byMemo, byNotes, byPayee]);
    expect(f.transactions.list({ search: 'bakery', categoryId: 'Food' }).map((t) => t.id)).toEqual([
      byMemo,
    ]);
    expect(f.transactions.list({ search: 'landlord' }).map((t) => t.id)).toEqual([other]);
    expect(f.transactions.list({ search: 'nothing like this' })).toEqual([]);
    // Blank search text is no filter at all.
    expect(f.transactions.count({ search: '   ' })).toBe(5);
  });

  it('takes % and _ in search text literally, not as LIKE wildcards', () => {
    const percent = add('2025-02-01', -1, { notes: 'fee 5% off' });
    const underscore = add('2025-02-02', -2, { notes: 'ref a_b' });
    const backslash = add('2025-02-03', -3, { notes: 'path c\\d' });
    add('2025-02-04', -4, { notes: 'fee 50 off, ref axb, path cd' });

    expect(f.transactions.list({ search: '5%' }).map((t) => t.id)).toEqual([percent]);
    expect(f.transactions.list({ search: '%' }).map((t) => t.id)).toEqual([percent]);
    expect(f.transactions.list({ search: 'a_b' }).map((t) => t.id)).toEqual([underscore]);
    expect(f.transactions.list({ search: '_' }).map((t) => t.id)).toEqual([underscore]);
    expect(f.transactions.list({ search: 'c\\d' }).map((t) => t.id)).toEqual([backslash]);
  });

  it('rejects bad filters with specific codes', () => {
    expect(f.attempt(() => f.transactions.list({ month: '2025-13' })).code).toBe('INVALID_MONTH');
    expect(f.attempt(() => f.transactions.list({ from: '2025-02-31' })).code).toBe('INVALID_DATE');
    expect(f.attempt(() => f.transactions.list({ accountId: 'Nope' })).code).toBe('NOT_FOUND');
    expect(f.attempt(() => f.transactions.list({ categoryId: 'Nope' })).code).toBe('NOT_FOUND');
    expect(f.attempt(() => f.transactions.list({ limit: 0 })).code).toBe('INVALID_INPUT');
    expect(f.attempt(() => f.transactions.list({ limit: 1e9 })).code).toBe('INVALID_INPUT');
    expect(f.attempt(() => f.transactions.list({ search: 'x'.repeat(201) })).code).toBe(
      'INVALID_INPUT',
    );
  });
});
