import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TransactionCreateInputSchema,
  type TransactionCreateInput,
} from '../../../shared/domain/ledger.schema.js';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import { canonicalCreateData, parseTransactionCreateInput } from './transaction-create-input.js';

const ID = '0190a0a0-0000-7000-8000-000000000001';

/** What the schema says: the data, or the error's code and message. */
function bySchema(input: unknown): unknown {
  try {
    return { data: parseInput(TransactionCreateInputSchema, input, 'transaction') };
  } catch (err) {
    if (!isCofferError(err)) throw err;
    return { code: err.code, message: err.message };
  }
}

function byService(input: unknown): unknown {
  try {
    return { data: parseTransactionCreateInput(input as TransactionCreateInput) };
  } catch (err) {
    if (!isCofferError(err)) throw err;
    return { code: err.code, message: err.message };
  }
}

/** Each field: values in canonical form, and values the schema trims, defaults or refuses. */
const good = {
  accountId: fc.constantFrom('Checking', ID, 'a'.repeat(200)),
  date: fc.constantFrom('2025-01-31', '2024-02-29', '1900-01-01'),
  amountMinor: fc.constantFrom(0, -1, 12_345, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  currency: fc.constantFrom('USD', 'JPY'),
  payeeId: fc.constantFrom(ID, null),
  payeeName: fc.constantFrom('Shop', 'x'.repeat(200), 'Café Müller'),
  categoryId: fc.constantFrom('Food', ID, null),
  notes: fc.constantFrom('', 'Type: DEBIT\nBalance: 1.00', 'n'.repeat(10_000)),
  importId: fc.constantFrom('fitid:1', null, 'i'.repeat(255)),
  importKey: fc.constantFrom('k:abc', null),
  splits: fc.constant([]),
};
const bad = {
  accountId: fc.constantFrom('', ' Checking', 'Checking\t', 'a'.repeat(201), 7, null),
  date: fc.constantFrom('2025-02-29', '2025-1-31', '3000-01-01', '2025-01-31 ', 20250131),
  amountMinor: fc.constantFrom(1.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, '5', -0.1),
  currency: fc.constantFrom('usd', 'XXQ', 'US', null),
  payeeId: fc.constantFrom('not-an-id', ID.toUpperCase(), 5),
  payeeName: fc.constantFrom('', '  Shop', 'Shop ', 'A\u0007B', 'x'.repeat(201), null),
  categoryId: fc.constantFrom('', ' Food', 'f'.repeat(201), 3),
  notes: fc.constantFrom('n'.repeat(10_001), null, 5),
  importId: fc.constantFrom('', ' id', 'i'.repeat(256), 9),
  importKey: fc.constantFrom('', 'k:abc ', 'k'.repeat(256)),
  splits: fc.constantFrom(
    [{ categoryId: 'Food', amountMinor: -5 }],
    [{ categoryId: ' Food ', amountMinor: -5, memo: 'm' }],
    [{ categoryId: 'Food', amountMinor: 1.5 }],
    'none',
  ),
};
type Field = keyof typeof good;
const FIELDS = Object.keys(good) as Field[];
const REQUIRED: readonly Field[] = ['accountId', 'date', 'amountMinor'];
const ABSENT = Symbol('absent');

/** An input: every field absent, canonical, undefined or bad, plus at times a stray key. */
const anyInput = fc
  .record({
    picks: fc.tuple(
      ...FIELDS.map((field) =>
        fc.oneof(
          { weight: 6, arbitrary: good[field] as fc.Arbitrary<unknown> },
          { weight: 1, arbitrary: bad[field] as fc.Arbitrary<unknown> },
          { weight: REQUIRED.includes(field) ? 1 : 4, arbitrary: fc.constant(ABSENT) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        ),
      ),
    ),
    stray: fc.option(fc.constantFrom('payee', 'importBatch', '__proto__x'), { nil: null }),
  })
  .map(({ picks, stray }) => {
    const input: Record<string, unknown> = {};
    FIELDS.forEach((field, i) => {
      if (picks[i] !== ABSENT) input[field] = picks[i];
    });
    if (stray !== null) input[stray] = 'x';
    return input;
  });

/** Inputs a bulk caller builds: canonical form only. */
const canonicalInput = fc
  .record(
    {
      accountId: good.accountId,
      date: good.date,
      amountMinor: good.amountMinor,
      currency: good.currency,
      payeeName: good.payeeName,
      categoryId: good.categoryId,
      notes: good.notes,
      importId: good.importId,
      importKey: good.importKey,
      splits: good.splits,
    },
    { requiredKeys: ['accountId', 'date', 'amountMinor'] },
  )
  // fc.record makes objects without a prototype; a caller's literal has Object's.
  .map((input): Record<string, unknown> => ({ ...input }));

describe('parseTransactionCreateInput', () => {
  it('gives exactly what the schema gives, data or error, for any mix of good and bad fields', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        expect(byService(input)).toStrictEqual(bySchema(input));
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes the shortcut only for what the schema accepts unchanged', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const fast = canonicalCreateData(input);
        if (fast !== null) expect({ data: fast }).toStrictEqual(bySchema(input));
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes the shortcut for the canonical rows a bulk write builds', () => {
    fc.assert(
      fc.property(canonicalInput, (input) => {
        const fast = canonicalCreateData(input);
        expect(fast).not.toBeNull();
        expect({ data: fast }).toStrictEqual(bySchema(input));
      }),
      { numRuns: 1_000 },
    );
  });

  it('leaves every bad value to the schema, which refuses it with its own code', () => {
    for (const field of FIELDS) {
      const base: Record<string, unknown> = {
        accountId: 'Checking',
        date: '2025-01-31',
        amountMinor: -5,
      };
      fc.assert(
        fc.property(bad[field] as fc.Arbitrary<unknown>, (value) => {
          const input = { ...base, [field]: value };
          expect(canonicalCreateData(input)).toBeNull();
          expect(byService(input)).toStrictEqual(bySchema(input));
        }),
      );
    }
    const refused = byService({ accountId: 'Checking', date: '2025-02-29', amountMinor: 1 }) as {
      code: string;
      message: string;
    };
    expect(refused.code).toBe('INVALID_DATE');
    expect(refused.message).toMatch(/^Invalid transaction: date: /);
  });
});
