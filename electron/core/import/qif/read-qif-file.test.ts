import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StatementItem, StatementRow } from '../statement.js';
import { readQifFile, type ReadQifOptions } from './read-qif-file.js';
import { cofferErrorOf as thrown } from '../testing/import-test-helpers.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/qif/${name}`, import.meta.url), 'utf8');

const items = (source: string, options: ReadQifOptions) =>
  readQifFile(source, options).statements.map((s) => [...s.items()] as StatementItem[]);
const rowsOf = (list: readonly StatementItem[]) =>
  list.flatMap((i) => (i.kind === 'row' ? [i.row] : []));
const onlyRows = (source: string, options: ReadQifOptions = { accountCurrency: 'USD' }) =>
  rowsOf(items(source, options)[0] ?? []);

function row(
  fields: Partial<StatementRow> & Pick<StatementRow, 'line' | 'date' | 'amountMinor'>,
): StatementRow {
  return {
    currency: null,
    payee: null,
    memo: null,
    category: null,
    externalId: null,
    extras: [],
    descriptionKey: '',
    splits: [],
    ...fields,
  };
}

describe('readQifFile fixtures', () => {
  it('Quicken checking: category and class lists skipped, splits, transfers, address, check numbers', () => {
    const file = readQifFile(fixture('quicken-checking.qif'), { accountCurrency: 'USD' });
    expect(file.format).toBe('qif');
    expect(
      file.statements.map((s) => [s.bankAccountId, s.accountType, s.currency, s.line]),
    ).toEqual([[null, 'Bank', null, 19]]);
    const list = [...(file.statements[0]?.items() ?? [])];
    expect(list.filter((i) => i.kind === 'skip')).toEqual([
      {
        kind: 'skip',
        skip: { line: 2, reason: 'not-a-transaction', text: 'Cat list entry "Auto:Fuel"' },
      },
      {
        kind: 'skip',
        skip: { line: 6, reason: 'not-a-transaction', text: 'Cat list entry "Food:Groceries"' },
      },
      {
        kind: 'skip',
        skip: { line: 10, reason: 'not-a-transaction', text: 'Cat list entry "Salary"' },
      },
      {
        kind: 'skip',
        skip: { line: 16, reason: 'not-a-transaction', text: 'Class list entry "Vacation"' },
      },
    ]);
    expect(rowsOf(list)).toEqual([
      row({
        line: 20,
        date: '2025-01-03',
        amountMinor: -125000,
        payee: 'Oak Street Properties',
        memo: 'Rent January',
        category: 'Housing:Rent',
        extras: [
          { label: 'Cleared', value: 'X' },
          { label: 'Number', value: '1042' },
          { label: 'Address', value: '123 Oak Street\nApt 4B\nSpringfield, IL 62704' },
        ],
        descriptionKey: 'january oak properties rent street',
      }),
      row({
        line: 32,
        date: '2025-01-15',
        amountMinor: 281466,
        payee: 'Acme Widgets Inc',
        memo: 'Paycheck',
        category: 'Salary',
        extras: [{ label: 'Cleared', value: '*' }],
        descriptionKey: 'acme inc paycheck widgets',
        splits: [
          { category: 'Salary', amountMinor: 365000, memo: 'Gross pay' },
          { category: 'Taxes:Federal', amountMinor: -61234, memo: 'Withholding' },
          { category: 'Taxes:State', amountMinor: -22300, memo: '' },
        ],
      }),
      row({
        line: 48,
        date: '2025-01-18',
        amountMinor: -50000,
        payee: 'Transfer to savings',
        extras: [
          { label: 'Cleared', value: 'X' },
          { label: 'Transfer', value: 'Savings' },
        ],
        descriptionKey: 'savings to transfer',
      }),
      row({
        line: 55,
        date: '2025-01-24',
        amountMinor: -18745,
        payee: 'Costco Wholesale #482',
        memo: 'Weekly shop',
        category: 'Food:Groceries',
        extras: [
          { label: 'Class', value: 'Vacation' },
          { label: 'Split 3 transfer', value: 'Gift Card' },
        ],
        descriptionKey: '482 costco shop weekly wholesale',
        splits: [
          { category: 'Food:Groceries', amountMinor: -14245, memo: 'Food' },
          { category: 'Household', amountMinor: -2500, memo: 'Towels' },
          { category: null, amountMinor: -2000, memo: 'Paid from gift card' },
        ],
      }),
      row({
        line: 71,
        date: '2025-01-31',
        amountMinor: -1200,
        payee: 'Monthly maintenance fee',
        descriptionKey: 'fee maintenance monthly',
      }),
    ]);
    expect(file.settings).toEqual([
      { name: 'date format', value: 'MM/DD/YYYY', source: 'detected', flag: '--date-format' },
      { name: 'decimal separator', value: '.', source: 'detected', flag: '--decimal-separator' },
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('several !Account blocks give one statement each, named by the account; the last record has no ^', () => {
    const file = readQifFile(fixture('several-accounts.qif'), { accountCurrency: 'USD' });
    expect(file.statements.map((s) => [s.bankAccountId, s.accountType, s.line])).toEqual([
      ['Everyday Checking', 'Bank', 19],
      ['Rewards Visa', 'CCard', 32],
      ['Wallet', 'Cash', 47],
    ]);
    const [checking = [], visa = [], wallet = []] = file.statements.map((s) => [...s.items()]);
    expect(
      checking.filter((i) => i.kind === 'skip').map((i) => i.kind === 'skip' && i.skip),
    ).toEqual([
      { line: 3, reason: 'not-a-transaction', text: 'account list entry "Everyday Checking"' },
      { line: 7, reason: 'not-a-transaction', text: 'account list entry "Rewards Visa"' },
      { line: 11, reason: 'not-a-transaction', text: 'account list entry "Wallet"' },
    ]);
    expect(rowsOf(checking)).toEqual([
      row({
        line: 20,
        date: '2025-02-03',
        amountMinor: -6412,
        payee: "TRADER JOE'S #142",
        descriptionKey: '142 joe s trader',
      }),
      row({
        line: 24,
        date: '2025-02-14',
        amountMinor: 281466,
        payee: 'ACME WIDGETS PAYROLL',
        descriptionKey: 'acme payroll widgets',
      }),
    ]);
    expect(rowsOf(visa)).toEqual([
      row({
        line: 33,
        date: '2025-02-05',
        amountMinor: -1899,
        payee: 'NETFLIX.COM',
        memo: 'Subscription',
        descriptionKey: 'com netflix subscription',
      }),
      row({
        line: 38,
        date: '2025-02-25',
        amountMinor: 41250,
        payee: 'PAYMENT - THANK YOU',
        extras: [{ label: 'Transfer', value: 'Everyday Checking' }],
        descriptionKey: 'payment thank you',
      }),
    ]);
    expect(rowsOf(wallet)).toEqual([
      row({
        line: 48,
        date: '2025-02-20',
        amountMinor: -450,
        payee: 'Farmers market',
        category: 'Food:Groceries',
        descriptionKey: 'farmers market',
      }),
    ]);
  });

  it('European QIF: DD.MM.YYYY dates and decimal comma with thousands dots', () => {
    const file = readQifFile(fixture('eu-girokonto.qif'), { accountCurrency: 'EUR' });
    expect(file.settings).toEqual([
      { name: 'date format', value: 'DD.MM.YYYY', source: 'detected', flag: '--date-format' },
      { name: 'decimal separator', value: ',', source: 'detected', flag: '--decimal-separator' },
    ]);
    expect(rowsOf([...(file.statements[0]?.items() ?? [])])).toEqual([
      row({
        line: 2,
        date: '2025-01-02',
        amountMinor: -123456,
        payee: 'Sparkasse Immobilien GmbH',
        memo: 'Miete Januar 2025',
        category: 'Wohnen:Miete',
        descriptionKey: '2025 gmbh immobilien januar miete sparkasse',
      }),
      row({
        line: 8,
        date: '2025-01-15',
        amountMinor: 295000,
        payee: 'Muster AG',
        memo: 'Gehalt 01/2025',
        category: 'Gehalt',
        descriptionKey: '01 2025 ag gehalt muster',
      }),
      row({
        line: 14,
        date: '2025-01-23',
        amountMinor: -8990,
        payee: 'Stadtwerke Köln',
        memo: 'Abschlag Strom',
        extras: [{ label: 'Number', value: '4711' }],
        descriptionKey: 'abschlag koln stadtwerke strom',
      }),
      row({
        line: 20,
        date: '2025-01-31',
        amountMinor: -495,
        payee: 'Sparkasse KölnBonn',
        memo: 'Kontoführung',
        descriptionKey: 'kolnbonn kontofuhrung sparkasse',
      }),
    ]);
  });
});

const bank = (...records: string[]) => `!Type:Bank\n${records.join('\n^\n')}\n^\n`;

describe('readQifFile dates and amounts', () => {
  it('reads every date form Quicken and banks write', () => {
    const cases: [string, string][] = [
      ['1/23/15', '2015-01-23'],
      ["1/23'15", '2015-01-23'],
      [" 1/ 3'05", '2005-01-03'],
      ['01/23/2015', '2015-01-23'],
      ['2015-01-23', '2015-01-23'],
      ['23.01.2015', '2015-01-23'],
      ['12/31/99', '1999-12-31'],
    ];
    for (const [text, iso] of cases) {
      const options = { accountCurrency: 'USD', flags: { dateFormat: 'MM/DD/YYYY' as const } };
      expect(onlyRows(bank(`D${text}\nT-1.00`), options)[0]?.date, text).toBe(iso);
    }
    expect(onlyRows(bank('D23/01/2015\nT1', 'D1/02/2015\nT2')).map((r) => r.date)).toEqual([
      '2015-01-23',
      '2015-02-01',
    ]);
  });

  it('asks for the date format when every date reads both ways, and obeys the flag', () => {
    const source = bank('D01/02/2025\nT-1.00', 'D03/04/2025\nT-2.00');
    const err = thrown(() => readQifFile(source, { accountCurrency: 'USD' }));
    expect(err.code).toBe('IMPORT_NEEDS_CHOICE');
    expect(err.message).toContain('--date-format');
    expect(err.details).toEqual({
      setting: 'date format',
      options: ['MM/DD/YYYY', 'DD/MM/YYYY'],
      flag: '--date-format',
    });
    const file = readQifFile(source, {
      accountCurrency: 'USD',
      flags: { dateFormat: 'DD/MM/YYYY' },
    });
    expect(file.settings[0]).toEqual({
      name: 'date format',
      value: 'DD/MM/YYYY',
      source: 'flag',
      flag: '--date-format',
    });
    expect(rowsOf([...(file.statements[0]?.items() ?? [])]).map((r) => r.date)).toEqual([
      '2025-02-01',
      '2025-04-03',
    ]);
  });

  it('refuses a file that writes dates day-first and month-first, naming both lines', () => {
    const err = thrown(() =>
      readQifFile(bank('D23/01/2025\nT1', 'D01/23/2025\nT2'), { accountCurrency: 'USD' }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toBe(
      'line 5: dates are written day first on line 2 and month first on line 5; the file mixes two date formats',
    );
  });

  it('reads "1,234.56" and "-1.234,56", the separator decided from the whole file', () => {
    expect(
      onlyRows(bank('D2025-01-02\nT1,234.56', 'D2025-01-03\nT-5')).map((r) => r.amountMinor),
    ).toEqual([123456, -500]);
    // "1.500" alone could be either; the later "-12,50" settles it for the whole file.
    const file = readQifFile(
      bank('D2025-01-02\nT1.500', 'D2025-01-03\nT-1.234,56', 'D2025-01-04\nT-12,50'),
      {
        accountCurrency: 'EUR',
      },
    );
    expect(rowsOf([...(file.statements[0]?.items() ?? [])]).map((r) => r.amountMinor)).toEqual([
      150000, -123456, -1250,
    ]);
    expect(file.settings[1]).toMatchObject({ name: 'decimal separator', value: ',' });
  });

  it('asks for the decimal separator when the file uses both, and obeys the flag', () => {
    const source = bank('D2025-01-02\nT1.50', 'D2025-01-03\nT-2,25');
    const err = thrown(() => readQifFile(source, { accountCurrency: 'USD' }));
    expect(err.code).toBe('IMPORT_NEEDS_CHOICE');
    expect(err.details).toMatchObject({
      setting: 'decimal separator',
      flag: '--decimal-separator',
    });
    const rows = onlyRows(source, { accountCurrency: 'USD', flags: { decimalSeparator: ',' } });
    // Under a decimal comma the point is a thousands separator: "1.50" is 150.
    expect(rows.map((r) => r.amountMinor)).toEqual([15000, -225]);
  });

  it('U is read only when T is absent; a T/U mismatch is a warning and U is kept', () => {
    expect(onlyRows(bank('D2025-01-02\nU-7.25'))[0]?.amountMinor).toBe(-725);
    const file = readQifFile(bank('D2025-01-02\nU-7.25\nT-7.52\nPShop'), {
      accountCurrency: 'USD',
    });
    expect(file.warnings).toEqual([
      'line 4: the amount T "-7.52" differs from U "-7.25" on line 3; T is imported, U is kept in the notes',
    ]);
    expect(rowsOf([...(file.statements[0]?.items() ?? [])])[0]).toMatchObject({
      amountMinor: -752,
      extras: [{ label: 'U', value: '-7.25' }],
    });
  });
});

describe('readQifFile errors', () => {
  it('splits that do not add up to the amount are an error naming the record line', () => {
    const source = bank('D2025-01-02\nT-10.00\nPShop\nSFood\n$-6.00\nSHome\n$-3.00');
    const err = thrown(() => onlyRows(source));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toBe(
      'line 2: the splits add up to -900 but the transaction amount is -1000 (in minor units of USD)',
    );
  });

  it('investment sections are unsupported; unknown sections and stray text are parse errors', () => {
    const invst = thrown(() =>
      readQifFile(`${bank('D2025-01-02\nT1')}!Type:Invst\nD2025-01-02\nNBuy\n^\n`, {
        accountCurrency: 'USD',
      }),
    );
    expect(invst.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    expect(invst.message).toMatch(/^line 5: "!Type:Invst"/);
    expect(
      thrown(() => readQifFile('!Type:Spaceship\nD1/1/25\n^\n', { accountCurrency: 'USD' }))
        .message,
    ).toMatch(/^line 1: /);
    expect(
      thrown(() => readQifFile('Date,Amount\n2025-01-01,1\n', { accountCurrency: 'USD' })).code,
    ).toBe('IMPORT_PARSE_ERROR');
  });

  it('a record without date or amount, or with a bad amount, names its line when reached', () => {
    expect(thrown(() => onlyRows(bank('D2025-01-02\nT1', 'PNo date\nT2'))).message).toBe(
      'line 5: the transaction has no date (D line)',
    );
    expect(thrown(() => onlyRows(bank('D2025-01-02\nPNo amount'))).message).toBe(
      'line 2: the transaction has no amount (T or U line)',
    );
    const bad = thrown(() => onlyRows(bank('D2025-01-02\nT12.3x')));
    expect(bad.message).toMatch(/^line 3: T "12.3x" is not an amount/);
    expect(thrown(() => onlyRows(bank('D2025-02-30\nT1'))).message).toMatch(
      /^line 2: "2025-02-30" is not a date/,
    );
  });

  it('a second date or amount in one record (a "^" line missing) is an error, not a merged row', () => {
    const merged = bank('D2025-01-02\nT-5.00\nPShop\nD2025-01-03\nT-7.00\nPCafe');
    const err = thrown(() => onlyRows(merged));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(
      /^line 5: a second "D" line in one transaction \(the first is on line 2\)/,
    );
    expect(err.details).toMatchObject({ line: 5, field: 'D', firstLine: 2 });
    expect(thrown(() => onlyRows(bank('D2025-01-02\nT-12.3x\nT-5.00'))).details).toMatchObject({
      line: 4,
      field: 'T',
    });
  });

  it('a date that does not fit the flagged order is an error at its line', () => {
    const source = bank('D2025-01-02\nT1', 'D1/23/2025\nT2');
    const err = thrown(() =>
      onlyRows(source, { accountCurrency: 'USD', flags: { dateFormat: 'DD/MM/YYYY' } }),
    );
    expect(err.message).toBe('line 5: "1/23/2025" is not a date in DD/MM/YYYY');
  });

  it('transactions under !Account without a !Type: header are an error, not lost', () => {
    const err = thrown(() =>
      readQifFile('!Account\nNChecking\nTBank\n^\nD01/23/2025\nT-5.00\nPShop\n^\n', {
        accountCurrency: 'USD',
      }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 7: "PShop" is not a field of an !Account record/);
  });
});
