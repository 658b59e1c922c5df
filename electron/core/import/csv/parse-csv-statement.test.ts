import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { decodeText } from '../text-decoding.js';
import { parseCsvStatement } from './parse-csv-statement.js';

const fixture = (name: string) =>
  decodeText(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

function parseError(fn: () => unknown): CofferError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CofferError);
    return err as CofferError;
  }
  throw new Error('expected an error');
}

describe('parseCsvStatement', () => {
  it('reads a US bank export with CRLF, quoted thousands and MM/DD dates, guessing the mapping', () => {
    const { rows, delimiter, dateFormat } = parseCsvStatement(fixture('us-checking.csv'), {
      currency: 'USD',
      mapping: { date: 'Posting Date', amount: 'Amount', payee: 'Description' },
    });
    expect(delimiter).toBe(',');
    expect(dateFormat).toBe('MM/DD/YYYY');
    expect(rows.map((r) => [r.line, r.date, r.amountMinor, r.payee])).toEqual([
      [2, '2024-01-02', -450, 'BLUE BOTTLE COFFEE #12'],
      [3, '2024-01-05', 300000, 'ACME CORP PAYROLL'],
      [4, '2024-01-15', -8217, 'CITY OF SPRINGFIELD WATER, SEWER'],
      [5, '2024-01-20', -185000, 'RENT - JANUARY'],
      [6, '2024-01-31', -12000, 'CHECK 1042'],
    ]);
  });

  it('reads debit/credit columns and DD/MM dates from a UK export without a mapping', () => {
    const { rows, dateFormat } = parseCsvStatement(fixture('uk-current-account.csv'), {
      currency: 'GBP',
    });
    expect(dateFormat).toBe('DD/MM/YYYY');
    expect(rows.map((r) => [r.date, r.amountMinor, r.payee])).toEqual([
      ['2024-01-03', -2340, 'TESCO STORES 2231'],
      ['2024-01-05', 125000, 'FREELANCE CLIENT LTD'],
      ['2024-01-13', -680, 'TFL TRAVEL CH'],
      ['2024-01-13', -680, 'TFL TRAVEL CH'],
      ['2024-01-28', -14200, 'COUNCIL TAX'],
    ]);
  });

  it('reads a German export: BOM, semicolons, DD.MM.YYYY and decimal commas', () => {
    const { rows, delimiter } = parseCsvStatement(fixture('de-girokonto.csv'), {
      currency: 'EUR',
      decimalComma: true,
      mapping: {
        date: 'Buchungstag',
        amount: 'Betrag',
        payee: 'Empfänger',
        memo: 'Verwendungszweck',
      },
    });
    expect(delimiter).toBe(';');
    expect(rows.map((r) => [r.date, r.amountMinor, r.payee, r.memo])).toEqual([
      ['2024-01-02', -380, 'Bäckerei Müller', 'Kartenzahlung'],
      ['2024-01-15', -123456, 'Stadtwerke München', 'Abschlag Strom; Januar'],
      ['2024-01-25', 250000, 'Kunde GmbH', 'Rechnung 2024-001'],
      ['2024-01-31', -495, 'Bank', 'Kontoführung'],
    ]);
  });

  it('without decimalComma, a decimal comma is refused with a hint, at its line', () => {
    const err = parseError(() =>
      parseCsvStatement(fixture('de-girokonto.csv'), {
        currency: 'EUR',
        mapping: { date: 1, amount: 4, payee: 2 },
      }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.details).toMatchObject({ line: 2, column: 4, cause: 'AMBIGUOUS_AMOUNT' });
    expect(err.message).toMatch(/^line 2: .*decimal-comma/);
  });

  it('reads a headerless tab-separated file by column positions (1-based)', () => {
    const { rows, delimiter, dateFormat } = parseCsvStatement(fixture('headerless.tsv'), {
      currency: 'USD',
      header: false,
      mapping: { date: 1, amount: 2, payee: 3, memo: 4 },
    });
    expect(delimiter).toBe('\t');
    expect(dateFormat).toBe('YYYYMMDD');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      line: 1,
      date: '2024-01-03',
      amountMinor: -450,
      payee: 'Corner Cafe',
      memo: 'latte',
      category: null,
      externalId: null,
    });
  });

  it('needs a mapping when there is no header', () => {
    const err = parseError(() =>
      parseCsvStatement(fixture('headerless.tsv'), { currency: 'USD', header: false }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/mapping is required/);
  });

  it('maps id and category columns', () => {
    const { rows } = parseCsvStatement(fixture('with-ids-and-categories.csv'), {
      currency: 'USD',
      mapping: {
        date: 'date',
        amount: 'amount',
        payee: 'payee',
        memo: 'memo',
        category: 'category',
        id: 'id',
      },
    });
    expect(rows.map((r) => [r.externalId, r.category, r.memo])).toEqual([
      ['tx-1001', 'Groceries', 'weekly shop'],
      ['tx-1002', 'Entertainment', 'subscription'],
      ['tx-1003', 'Income', 'invoice 12'],
      ['tx-1004', 'Groceries', null],
    ]);
  });

  it('reports the malformed row by its line number and column', () => {
    const err = parseError(() =>
      parseCsvStatement(fixture('malformed-line-17.csv'), { currency: 'USD' }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.details).toMatchObject({ line: 17, column: 4, columnName: 'Amount' });
    expect(err.message).toMatch(/^line 17: /);
  });

  it('reports the first bad line whichever check finds it', () => {
    const text = 'date,amount\n2024-01-01,1.00\n2024-01-02,oops\n2024-13-45,2.00\n';
    const err = parseError(() =>
      parseCsvStatement(text, { currency: 'USD', dateFormat: 'YYYY-MM-DD' }),
    );
    expect(err.details).toMatchObject({ line: 3 });
  });

  it('counts lines through quoted multi-line fields and blank lines', () => {
    const text = 'date,amount,memo\n\n2024-01-01,1.00,"two\nlines"\n\n2024-01-02,x,ok\n';
    const err = parseError(() => parseCsvStatement(text, { currency: 'USD' }));
    expect(err.details).toMatchObject({ line: 6 });
  });

  it('reports a row that is too short', () => {
    const text = 'date,amount,payee\n2024-01-01,1.00,A\n2024-01-02\n';
    const err = parseError(() => parseCsvStatement(text, { currency: 'USD' }));
    expect(err.message).toMatch(/^line 3: the row has 1 columns/);
  });

  it('reports an unclosed quote at the line where it opens', () => {
    const text = 'date,amount,payee\n2024-01-01,1.00,A\n2024-01-02,2.00,"B\n2024-01-03,3.00,C\n';
    const err = parseError(() => parseCsvStatement(text, { currency: 'USD' }));
    expect(err.details).toMatchObject({ line: 3 });
  });

  it('asks for the date format when the dates fit several', () => {
    const text = 'date,amount\n01/02/2024,1.00\n03/04/2024,2.00\n';
    const err = parseError(() => parseCsvStatement(text, { currency: 'USD' }));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/--date-format/);
    expect(err.details).toMatchObject({ formats: ['DD/MM/YYYY', 'MM/DD/YYYY'] });
    const { rows } = parseCsvStatement(text, { currency: 'USD', dateFormat: 'DD/MM/YYYY' });
    expect(rows.map((r) => r.date)).toEqual(['2024-02-01', '2024-04-03']);
  });

  it('without a date format, names the row that fits no format, unless an earlier row is bad', () => {
    const text = 'date,amount\n2024-01-01,1.00\n2024-01-02,2.00\n2024/01/03,3.00\n';
    const err = parseError(() => parseCsvStatement(text, { currency: 'USD' }));
    expect(err.message).toBe(
      'line 4: "2024/01/03" is not a date in any known format (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, YYYYMMDD)',
    );
    const earlier = parseError(() =>
      parseCsvStatement(text.replace('2.00', 'two'), { currency: 'USD' }),
    );
    expect(earlier.details).toMatchObject({ line: 3, column: 2 });
    const empty = parseError(() =>
      parseCsvStatement('date,amount\n2024-01-01,1\n,2\n', { currency: 'USD' }),
    );
    expect(empty.message).toBe('line 3: the date is empty');
  });

  it('rejects dates that do not exist in the explicit format', () => {
    const text = 'date,amount\n2024-02-30,1.00\n';
    const err = parseError(() =>
      parseCsvStatement(text, { currency: 'USD', dateFormat: 'YYYY-MM-DD' }),
    );
    expect(err.message).toMatch(/^line 2: "2024-02-30" is not a date/);
  });

  it('refuses an id used twice in one file', () => {
    const text = 'id,date,amount\na,2024-01-01,1.00\na,2024-01-02,2.00\n';
    const err = parseError(() => parseCsvStatement(text, { currency: 'USD' }));
    expect(err.message).toMatch(/^line 3: id "a" already appears on line 2/);
  });

  it('names the columns when a mapped header is missing', () => {
    const err = parseError(() =>
      parseCsvStatement('a,b\n1,2\n', { currency: 'USD', mapping: { date: 'Date', amount: 'b' } }),
    );
    expect(err.message).toMatch(
      /^line 1: no column named "Date" for date; the columns are "a", "b"/,
    );
  });

  it('applies the currency exponent (JPY has none, KWD three)', () => {
    expect(
      parseCsvStatement('date,amount\n2024-01-01,1200\n', { currency: 'JPY' }).rows[0]?.amountMinor,
    ).toBe(1200);
    expect(
      parseCsvStatement('date,amount\n2024-01-01,1.234\n', { currency: 'KWD' }).rows[0]
        ?.amountMinor,
    ).toBe(1234);
    const err = parseError(() =>
      parseCsvStatement('date,amount\n2024-01-01,1.5\n', { currency: 'JPY' }),
    );
    expect(err.details).toMatchObject({ line: 2, cause: 'TOO_MANY_DECIMALS' });
  });

  it('returns no rows for a file with only a header', () => {
    expect(parseCsvStatement('date,amount\n', { currency: 'USD' }).rows).toEqual([]);
  });
});
