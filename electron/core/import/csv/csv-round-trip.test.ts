import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { TextSource } from '../text-source.js';
import { readAll } from './csv-test-helpers.js';

interface Txn {
  date: string;
  amountMinor: number;
  payee: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function money(minor: number, decimal: '.' | ',', grouping: string): string {
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, grouping);
  return `${whole}${decimal}${pad(abs % 100)}`;
}

const quote = (text: string, delimiter: string) =>
  /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;

/** Each writer lays the same transactions out the way one family of banks does. */
const DIALECTS: Record<string, (rows: readonly Txn[]) => string> = {
  us: (rows) =>
    [
      'Posting Date,Description,Amount',
      ...rows.map((r) => {
        const [y, m, d] = r.date.split('-');
        const amount = `${r.amountMinor < 0 ? '-' : ''}${money(r.amountMinor, '.', ',')}`;
        return `${m}/${d}/${y},${quote(r.payee, ',')},${quote(amount, ',')}`;
      }),
    ].join('\r\n'),
  german: (rows) =>
    [
      'Konto;DE00 1234',
      '',
      'Buchungstag;Auftraggeber/Empfänger;Betrag (EUR)',
      ...rows.map((r) => {
        const [y, m, d] = r.date.split('-');
        const amount = `${r.amountMinor < 0 ? '-' : ''}${money(r.amountMinor, ',', '.')}`;
        return `${d}.${m}.${y};${quote(r.payee, ';')};${amount}`;
      }),
    ].join('\n'),
  debitCredit: (rows) =>
    [
      'Date,Description,Paid out,Paid in,Balance',
      ...rows.map((r) => {
        const [y, m, d] = r.date.split('-');
        const amount = money(r.amountMinor, '.', '');
        const out = r.amountMinor < 0 ? amount : '';
        const inn = r.amountMinor >= 0 ? amount : '';
        return `${d} ${MONTHS[Number(m) - 1] ?? ''} ${y},${quote(r.payee, ',')},${out},${inn},0.00`;
      }),
    ].join('\n'),
  indicator: (rows) =>
    [
      'Datum\tNaam / Omschrijving\tAf Bij\tBedrag (EUR)',
      ...rows.map(
        (r) =>
          `${r.date.replace(/-/g, '')}\t${quote(r.payee, '\t')}\t${r.amountMinor < 0 ? 'Af' : 'Bij'}\t${money(r.amountMinor, ',', '')}`,
      ),
    ].join('\n'),
};

const payee = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.;"'&\n/-]{0,24}[A-Za-z0-9]$/);
const txns = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 3000 }),
      amountMinor: fc.integer({ min: -9_999_999_99, max: 9_999_999_99 }),
      payee,
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((raw) => {
    // A statement is in date order and has a day after the 12th somewhere.
    const days = raw.map((r) => r.day).sort((a, b) => a - b);
    days[0] = 0;
    return raw.map((r, i): Txn => {
      const date = new Date(Date.UTC(2020, 0, 13) + (days[i] ?? 0) * 86_400_000);
      return { date: date.toISOString().slice(0, 10), amountMinor: r.amountMinor, payee: r.payee };
    });
  });

describe('CSV round trip', () => {
  it('reads back any statement written in any supported dialect', () => {
    fc.assert(
      fc.property(txns, fc.constantFrom(...Object.keys(DIALECTS)), (rows, dialect) => {
        const write = DIALECTS[dialect];
        if (write === undefined) throw new Error(dialect);
        const { rows: read } = readAll(write(rows), {
          accountCurrency: 'EUR',
        });
        expect(read.map((r) => [r.date, r.amountMinor, r.payee])).toEqual(
          rows.map((r) => [r.date, r.amountMinor, r.payee]),
        );
      }),
      { seed: 20240601, numRuns: 150 },
    );
  });

  it('never crashes on fuzzed input: rows, or an error with a code', () => {
    const cellText = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        '2024-01-15',
        '15/01/2024',
        '1.234,56',
        '-3.50',
        '"',
        '""',
        'Total',
        'Pending',
      ),
    );
    const text = fc
      .array(fc.array(cellText, { maxLength: 5 }), { maxLength: 8 })
      .map((rows) => rows.map((r) => r.join(',')).join('\n'));
    fc.assert(
      fc.property(text, (input) => {
        try {
          readAll(input);
        } catch (err) {
          expect(err).toBeInstanceOf(CofferError);
        }
      }),
      { seed: 99, numRuns: 400 },
    );
  });

  it('pulls the text lazily: the first row needs only the first pieces', () => {
    let pulled = 0;
    const line = '2024-01-15,SHOP,-1.00\n';
    const source: TextSource = {
      label: 'counted',
      *chunks() {
        yield 'Date,Payee,Amount\n';
        for (let i = 0; i < 100; i++) {
          pulled++;
          yield line.repeat(100);
        }
      },
    };
    const { file } = readAll(source);
    pulled = 0;
    const items = file.statements[0]?.items()[Symbol.iterator]();
    expect(items?.next().value).toMatchObject({ kind: 'row', row: { line: 2 } });
    expect(pulled).toBe(1);
  });
});
