import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../errors/coffer-error.js';
import {
  AccountCreateInputSchema,
  AccountSchema,
  AccountUpdateInputSchema,
  BudgetSetInputSchema,
  CategoryCreateInputSchema,
  TransactionCreateInputSchema,
  TransactionListFilterSchema,
  TransactionSchema,
  TransactionUpdateInputSchema,
  assertSplitsSum,
} from './ledger.schema.js';

const ID = '01890a5d-ac96-774b-bcce-b302099a8057';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCofferError(error) ? error.code : 'NOT_A_COFFER_ERROR';
  }
  return undefined;
}

describe('account schemas', () => {
  it('fills defaults and trims the name', () => {
    expect(AccountCreateInputSchema.parse({ name: '  Checking ', currency: 'USD' })).toEqual({
      name: 'Checking',
      currency: 'USD',
      kind: 'checking',
      openingBalanceMinor: 0,
    });
  });

  it('rejects float, NaN and unsafe opening balances', () => {
    for (const openingBalanceMinor of [12.5, Number.NaN, Infinity, 2 ** 53, '100']) {
      expect(
        AccountCreateInputSchema.safeParse({ name: 'A', currency: 'USD', openingBalanceMinor })
          .success,
      ).toBe(false);
    }
  });

  it('rejects unknown currencies, unknown kinds, empty names, control characters and extra fields', () => {
    const bad = [
      { name: 'A', currency: 'usd' },
      { name: 'A', currency: 'XXQ' },
      { name: 'A', currency: 'USD', kind: 'piggy' },
      { name: '   ', currency: 'USD' },
      { name: 'A\nB', currency: 'USD' },
      { name: 'A', currency: 'USD', balance: 5 },
    ];
    for (const input of bad) expect(AccountCreateInputSchema.safeParse(input).success).toBe(false);
    expect(AccountUpdateInputSchema.safeParse({ id: ID }).success).toBe(false);
  });

  it('describes a stored account', () => {
    const account = {
      id: ID,
      name: 'Checking',
      currency: 'EUR',
      kind: 'savings',
      openingBalanceMinor: -5,
      archived: false,
      createdAt: 1,
      updatedAt: 2,
    };
    expect(AccountSchema.parse(account)).toEqual(account);
  });
});

describe('category schemas', () => {
  it('defaults to a top-level expense category', () => {
    expect(CategoryCreateInputSchema.parse({ name: 'Food' })).toEqual({
      name: 'Food',
      kind: 'expense',
      parentId: null,
    });
    expect(CategoryCreateInputSchema.safeParse({ name: 'Food', kind: 'transfer' }).success).toBe(
      false,
    );
  });
});

describe('transaction schemas', () => {
  const base = { accountId: 'Checking', date: '2025-02-28', amountMinor: -1250 };

  it('accepts a minimal transaction and fills defaults', () => {
    expect(TransactionCreateInputSchema.parse(base)).toEqual({ ...base, notes: '', splits: [] });
  });

  it('rejects non-integer amounts and impossible dates', () => {
    for (const amountMinor of [1.5, Number.NaN, -Infinity, '12']) {
      expect(TransactionCreateInputSchema.safeParse({ ...base, amountMinor }).success).toBe(false);
    }
    for (const date of ['2025-02-29', '2025-13-01', '2025-2-1', '01/02/2025', '']) {
      expect(TransactionCreateInputSchema.safeParse({ ...base, date }).success).toBe(false);
    }
    expect(TransactionCreateInputSchema.safeParse({ ...base, date: '2024-02-29' }).success).toBe(
      true,
    );
  });

  it('refuses a category on a split transaction, and payeeId with payeeName', () => {
    const split = { categoryId: 'Food', amountMinor: -1250 };
    const withCategory = TransactionCreateInputSchema.safeParse({
      ...base,
      categoryId: 'Food',
      splits: [split],
    });
    expect(withCategory.success).toBe(false);
    expect(withCategory.error?.issues[0]?.path).toEqual(['categoryId']);
    expect(TransactionCreateInputSchema.safeParse({ ...base, splits: [split] }).success).toBe(true);
    expect(
      TransactionCreateInputSchema.safeParse({ ...base, payeeId: ID, payeeName: 'Shop' }).success,
    ).toBe(false);
    expect(
      TransactionUpdateInputSchema.safeParse({ categoryId: 'Food', splits: [split] }).success,
    ).toBe(false);
    expect(
      TransactionUpdateInputSchema.safeParse({ categoryId: null, splits: [split] }).success,
    ).toBe(true);
  });

  it('does not let an update touch the import id', () => {
    expect(TransactionUpdateInputSchema.safeParse({ importId: 'x' }).success).toBe(false);
  });

  it('bounds list filters', () => {
    expect(TransactionListFilterSchema.parse({})).toEqual({ limit: 100, offset: 0 });
    expect(TransactionListFilterSchema.safeParse({ limit: 0 }).success).toBe(false);
    expect(TransactionListFilterSchema.safeParse({ limit: 1.5 }).success).toBe(false);
    expect(TransactionListFilterSchema.safeParse({ month: '2025-13' }).success).toBe(false);
  });

  it('describes a stored transaction', () => {
    const tx = {
      id: ID,
      accountId: ID,
      date: '2025-01-01',
      amountMinor: -100,
      currency: 'USD',
      payeeId: null,
      payeeName: null,
      categoryId: null,
      notes: '',
      importId: null,
      importBatch: null,
      importKey: null,
      splits: [{ categoryId: ID, amountMinor: -100, memo: '' }],
      createdAt: 1,
      updatedAt: 1,
    };
    expect(TransactionSchema.parse(tx)).toEqual(tx);
  });
});

describe('assertSplitsSum', () => {
  it('passes when there are no splits or they add up exactly', () => {
    expect(() => assertSplitsSum(-1000, [])).not.toThrow();
    expect(() =>
      assertSplitsSum(-1000, [{ amountMinor: -333 }, { amountMinor: -667 }]),
    ).not.toThrow();
  });

  it('throws SPLITS_DO_NOT_SUM when off by one minor unit, naming both amounts', () => {
    expect(
      codeOf(() => assertSplitsSum(-1000, [{ amountMinor: -333 }, { amountMinor: -666 }])),
    ).toBe('SPLITS_DO_NOT_SUM');
    expect(() => assertSplitsSum(-1000, [{ amountMinor: -999 }], 'USD')).toThrow(
      /-9\.99 USD.*-10\.00 USD/,
    );
  });

  it('agrees with an exact bigint sum for any integers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        (parts, amount) => {
          const exact = parts.reduce((a, b) => a + BigInt(b), 0n);
          const code = codeOf(() =>
            assertSplitsSum(
              amount,
              parts.map((amountMinor) => ({ amountMinor })),
            ),
          );
          expect(code).toBe(exact === BigInt(amount) ? undefined : 'SPLITS_DO_NOT_SUM');
        },
      ),
    );
  });
});

describe('budget schema', () => {
  it('takes a month, a category, a non-negative amount and a currency', () => {
    const ok = { month: '2025-01', categoryId: 'Food', amountMinor: 30000, currency: 'USD' };
    expect(BudgetSetInputSchema.parse(ok)).toEqual(ok);
    expect(BudgetSetInputSchema.safeParse({ ...ok, month: '2025-1' }).success).toBe(false);
    expect(BudgetSetInputSchema.safeParse({ ...ok, amountMinor: -1 }).success).toBe(false);
    expect(BudgetSetInputSchema.safeParse({ ...ok, amountMinor: 0.1 }).success).toBe(false);
    expect(BudgetSetInputSchema.safeParse({ ...ok, currency: undefined }).success).toBe(false);
  });
});
