import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import { monthOf } from '../../../shared/dates/iso-date.js';
import { createLedgerFixture } from './ledger-test-fixture.js';

const ACCOUNTS = ['A', 'B', 'C'] as const;
const CATEGORIES = [
  { name: 'Food', kind: 'expense' as const },
  { name: 'Rent', kind: 'expense' as const },
  { name: 'Pay', kind: 'income' as const },
];
const MONTHS = ['2024-12', '2025-01', '2025-02'] as const;

const amount = fc.integer({ min: -5_000_000, max: 5_000_000 });
const date = fc
  .tuple(
    fc.constantFrom(...MONTHS),
    fc.integer({ min: 1, max: 28 }),
    fc.constantFrom(29, 30, 31, 0),
  )
  .map(([month, day, end]) => {
    // Month ends are where bounds bugs live: use them often.
    const last = month === '2025-02' ? 28 : 31;
    const d = end === 0 ? day : Math.min(end, last);
    return `${month}-${String(d).padStart(2, '0')}`;
  });

const categoryRef = fc.option(fc.constantFrom(...CATEGORIES.map((c) => c.name)), { nil: null });

/** A transaction plan: whole (one category or none) or split into parts that sum exactly. */
const plannedTx = fc.record({
  account: fc.constantFrom(...ACCOUNTS),
  date,
  parts: fc.array(
    fc.record({ category: fc.constantFrom(...CATEGORIES.map((c) => c.name)), amount }),
    {
      minLength: 0,
      maxLength: 4,
    },
  ),
  amount,
  category: categoryRef,
  deleteIt: fc.boolean(),
});

const scenario = fc.record({
  openings: fc.tuple(amount, amount, amount),
  txs: fc.array(plannedTx, { maxLength: 40 }),
  budgets: fc.array(
    fc.record({
      month: fc.constantFrom(...MONTHS),
      category: fc.constantFrom(...CATEGORIES.map((c) => c.name)),
      amount: fc.integer({ min: 0, max: 10_000_000 }),
    }),
    { maxLength: 6 },
  ),
});

describe('ledger properties', () => {
  it('balances equal opening + the sum of live transactions; budget actuals equal brute-force sums', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ openings, txs, budgets }) => {
        const f = await createLedgerFixture();
        try {
          ACCOUNTS.forEach((name, i) =>
            f.accounts.create({ name, currency: 'USD', openingBalanceMinor: openings[i] ?? 0 }),
          );
          for (const c of CATEGORIES) f.categories.create(c);
          const categoryId = new Map(f.categories.list().map((c) => [c.name, c.id]));

          interface Live {
            account: string;
            date: string;
            amount: number;
            pieces: Array<{ category: string | null; amount: number }>;
          }
          const live: Live[] = [];
          const inputs: TransactionCreateInput[] = [];
          const toDelete: boolean[] = [];
          for (const t of txs) {
            const split = t.parts.length > 0;
            const total = split ? t.parts.reduce((s, p) => s + p.amount, 0) : t.amount;
            inputs.push({
              accountId: t.account,
              date: t.date,
              amountMinor: total,
              categoryId: split ? null : t.category,
              splits: t.parts.map((p) => ({ categoryId: p.category, amountMinor: p.amount })),
            });
            toDelete.push(t.deleteIt);
            if (!t.deleteIt) {
              live.push({
                account: t.account,
                date: t.date,
                amount: total,
                pieces: split
                  ? t.parts.map((p) => ({ category: p.category, amount: p.amount }))
                  : [{ category: t.category, amount: total }],
              });
            }
          }
          // Half through the bulk path, half one by one: both must agree.
          const half = Math.floor(inputs.length / 2);
          const ids = [
            ...f.transactions.createMany(inputs.slice(0, half)).createdIds,
            ...inputs.slice(half).map((input) => f.transactions.create(input).id),
          ];
          ids.forEach((id, i) => {
            if (toDelete[i] === true) f.transactions.delete(id);
          });
          for (const b of budgets) {
            f.budgets.set({
              month: b.month,
              categoryId: b.category,
              amountMinor: b.amount,
              currency: 'USD',
            });
          }

          // Balances, now and as of every month end.
          for (const asOf of [undefined, '2024-12-31', '2025-01-30', '2025-01-31', '2025-02-28']) {
            const expected = ACCOUNTS.map(
              (name, i) =>
                (openings[i] ?? 0) +
                live
                  .filter((t) => t.account === name && (asOf === undefined || t.date <= asOf))
                  .reduce((s, t) => s + t.amount, 0),
            );
            const options = asOf === undefined ? {} : { asOf };
            expect(f.balances.balances(options).map((b) => b.balanceMinor)).toEqual(expected);
            ACCOUNTS.forEach((name, i) => {
              expect(f.balances.balance(name, options).balanceMinor).toBe(expected[i]);
            });
          }

          // Budget-vs-actual per month and category.
          const lastBudget = new Map<string, number>();
          for (const b of budgets) lastBudget.set(`${b.month}|${b.category}`, b.amount);
          for (const month of MONTHS) {
            const report = f.budgets.report(month);
            for (const c of CATEGORIES) {
              const net = live
                .filter((t) => monthOf(t.date) === month)
                .flatMap((t) => t.pieces)
                .filter((p) => p.category === c.name)
                .reduce((s, p) => s + p.amount, 0);
              const actual = c.kind === 'expense' ? -net : net;
              const budgeted = lastBudget.get(`${month}|${c.name}`) ?? 0;
              const row = report.rows.find((r) => r.categoryId === categoryId.get(c.name));
              const hasActivity = live.some(
                (t) => monthOf(t.date) === month && t.pieces.some((p) => p.category === c.name),
              );
              if (row === undefined) {
                expect(hasActivity || lastBudget.has(`${month}|${c.name}`)).toBe(false);
              } else {
                expect({
                  budgeted: row.budgetedMinor,
                  actual: row.actualMinor,
                  remaining: row.remainingMinor,
                }).toEqual({
                  budgeted,
                  actual: actual === 0 ? 0 : actual,
                  remaining: budgeted - actual === 0 ? 0 : budgeted - actual,
                });
              }
            }
            const uncategorized = live.filter(
              (t) =>
                monthOf(t.date) === month &&
                t.pieces.length === 1 &&
                t.pieces[0]?.category === null,
            );
            expect(report.uncategorized).toEqual(
              uncategorized.length === 0
                ? []
                : [
                    {
                      currency: 'USD',
                      netMinor: uncategorized.reduce((s, t) => s + t.amount, 0),
                      count: uncategorized.length,
                    },
                  ],
            );
          }
        } finally {
          f.cleanup();
        }
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
