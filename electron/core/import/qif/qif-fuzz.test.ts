import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { readQifFile, type ReadQifOptions } from './read-qif-file.js';

const KNOWN = new Set(['IMPORT_PARSE_ERROR', 'IMPORT_FORMAT_UNSUPPORTED', 'IMPORT_NEEDS_CHOICE']);

const dir = new URL('../fixtures/qif/', import.meta.url);
const FIXTURES = readdirSync(dir).map((name) => readFileSync(new URL(name, dir), 'utf8'));

/** Reads a file to its last row; a failure must be a CofferError with a known code. */
function readAll(source: string, options: ReadQifOptions): 'rows' | 'refused' {
  try {
    const file = readQifFile(source, options);
    for (const statement of file.statements) {
      for (const item of statement.items()) {
        if (item.kind !== 'row') continue;
        const { row } = item;
        expect(Number.isSafeInteger(row.amountMinor)).toBe(true);
        expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (row.splits.length > 0) {
          expect(row.splits.reduce((sum, s) => sum + s.amountMinor, 0)).toBe(row.amountMinor);
        }
      }
    }
    return 'rows';
  } catch (err) {
    if (!(err instanceof CofferError) || !KNOWN.has(err.code)) throw err;
    if (err.code === 'IMPORT_PARSE_ERROR') expect(typeof err.details?.line).toBe('number');
    return 'refused';
  }
}

const options = fc.record({
  accountCurrency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD'),
  flags: fc.record(
    {
      dateFormat: fc.constantFrom('MM/DD/YYYY' as const, 'DD/MM/YYYY' as const),
      decimalSeparator: fc.constantFrom('.' as const, ',' as const),
    },
    { requiredKeys: [] },
  ),
});

// QIF-shaped noise: headers, field codes, dates and amounts in every form, record ends.
const qifish = fc
  .array(
    fc.constantFrom(
      '!Type:Bank',
      '!Type:CCard',
      '!Type:Cat',
      '!Type:Invst',
      '!Account',
      '!Option:AutoSwitch',
      '!Clear:AutoSwitch',
      'NChecking',
      'TBank',
      'D1/23/15',
      "D 1/ 3'05",
      'D23.01.2025',
      'D2025-01-23',
      'D13/13/2013',
      'T-1,234.56',
      'T1.234,56',
      'U12.5',
      'T',
      'U-0',
      'T99999999999999999',
      'PPayee',
      'MMemo',
      'L[Savings]',
      'LFood:Groceries/Trip',
      'SFood',
      'E',
      '$-1.00',
      '$',
      '%50',
      'A1 Main St',
      'N1001',
      'C*',
      '^',
      '',
      'x',
      '!',
      '!Type:',
    ),
    { maxLength: 60 },
  )
  .map((lines) => lines.join('\n'));

describe('readQifFile under fuzzing', () => {
  it('QIF-shaped noise yields rows or a known CofferError', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(qifish, options, (source, opts) => {
        outcomes.add(readAll(source, opts));
      }),
      { seed: 7017, numRuns: 500 },
    );
    expect([...outcomes].sort()).toEqual(['refused', 'rows']);
  });

  it('arbitrary text yields rows or a known CofferError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), options, (source, opts) => {
        readAll(source, opts);
      }),
      { seed: 7018, numRuns: 300 },
    );
  });

  it('mutated fixtures (truncated, a line dropped or repeated) yield rows or a known CofferError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.constantFrom('truncate', 'drop-line', 'repeat-line'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        options,
        (index, kind, at, opts) => {
          const source = FIXTURES[index] ?? '';
          const lines = source.split('\n');
          const k = Math.floor(at * lines.length);
          const mutated =
            kind === 'truncate'
              ? source.slice(0, Math.floor(at * source.length))
              : kind === 'drop-line'
                ? [...lines.slice(0, k), ...lines.slice(k + 1)].join('\n')
                : [...lines.slice(0, k + 1), ...lines.slice(k)].join('\n');
          readAll(mutated, opts);
        },
      ),
      { seed: 7019, numRuns: 400 },
    );
  });
});
