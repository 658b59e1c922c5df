import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { CategoryService } from '../ledger/category.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { MAX_IMPORT_FILE_BYTES } from './import-file.js';
import { importStatementFile } from './import-statement-file.js';
import {
  expectCofferError,
  fixturePath,
  tempDir,
  writeCounts,
} from './testing/import-test-helpers.js';

let temp: TempVault;
let files: ReturnType<typeof tempDir>;

beforeEach(async () => {
  temp = await createTempVault();
  files = tempDir();
  const accounts = new AccountService(temp.vault);
  accounts.create({ name: 'Checking', currency: 'USD' });
  accounts.create({ name: 'Current', currency: 'GBP' });
  accounts.create({ name: 'Girokonto', currency: 'EUR' });
});

afterEach(() => {
  temp.cleanup();
  files.cleanup();
});

const list = (account: string) =>
  new TransactionService(temp.vault).list({ accountId: account, limit: 1000 });

const importCsvFile = (
  file: string,
  account: string,
  readerOptions: Record<string, unknown> = {},
  extra: { createCategories?: boolean } = {},
) => importStatementFile(temp.vault, { file, format: 'csv', account, readerOptions, ...extra });

/** The ledger tables; the outbox also carries the saved profile, which a re-import updates. */
const ledgerCounts = () => {
  const { outbox: _o, record_clocks: _r, ...ledger } = writeCounts(temp.vault);
  return ledger;
};

const setting = (name: string, value: string): unknown => expect.objectContaining({ name, value });

describe('importStatementFile: CSV statements', () => {
  it('imports a statement and re-importing it adds nothing', async () => {
    const file = fixturePath('us-checking.csv');
    const mapping = { date: 'Posting Date', amount: 'Amount', payee: 'Description' };
    const first = await importCsvFile(file, 'checking', { mapping });
    expect(first).toMatchObject({ created: 5, skippedAsImported: 0, rows: 5, format: 'csv' });
    expect(first.settings).toContainEqual(setting('date format', 'MM/DD/YYYY'));
    expect(first.settings).toContainEqual(setting('delimiter', ','));
    expect(first.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.importBatch).toBe(`csv:${first.fileSha256.slice(0, 16)}`);

    const rows = list('Checking');
    expect(rows.map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.currency])).toEqual([
      [
        '2024-01-31',
        -12000,
        'CHECK 1042',
        'Details: DEBIT\nType: CHECK_PAID\nBalance: 3443.33\nCheck or Slip #: 1042',
        'USD',
      ],
      [
        '2024-01-20',
        -185000,
        'RENT - JANUARY',
        'Details: DEBIT\nType: ACH_DEBIT\nBalance: 3563.33',
        'USD',
      ],
      [
        '2024-01-15',
        -8217,
        'CITY OF SPRINGFIELD WATER, SEWER',
        'Details: DEBIT\nType: ACH_DEBIT\nBalance: 5413.33',
        'USD',
      ],
      [
        '2024-01-05',
        300000,
        'ACME CORP PAYROLL',
        'Details: CREDIT\nType: ACH_CREDIT\nBalance: 5495.50',
        'USD',
      ],
      [
        '2024-01-02',
        -450,
        'BLUE BOTTLE COFFEE #12',
        'Details: DEBIT\nType: DEBIT_CARD\nBalance: 2495.50',
        'USD',
      ],
    ]);
    expect(
      rows.every((t) => t.importKey?.startsWith('k:') && t.importBatch === first.importBatch),
    ).toBe(true);

    const before = ledgerCounts();
    const again = await importCsvFile(file, 'checking', { mapping });
    expect(again).toMatchObject({
      created: 0,
      skippedAsImported: 5,
      rows: 5,
      fileSha256: first.fileSha256,
    });
    expect(ledgerCounts()).toEqual(before);
  });

  it('imports two identical rows of one file as two transactions, once', async () => {
    const file = fixturePath('uk-current-account.csv');
    const first = await importCsvFile(file, 'Current');
    expect(first).toMatchObject({ created: 5, skippedAsImported: 0 });
    expect(first.columns).toEqual([
      { column: 'Date', field: 'date' },
      { column: 'Description', field: 'payee' },
      { column: 'Money Out', field: 'debit' },
      { column: 'Money In', field: 'credit' },
      { column: 'Balance', field: 'notes' },
    ]);
    const tfl = list('Current').filter((t) => t.payeeName === 'TFL TRAVEL CH');
    expect(tfl).toHaveLength(2);
    expect(new Set(tfl.map((t) => t.importKey)).size).toBe(2);
    expect(await importCsvFile(file, 'Current')).toMatchObject({
      created: 0,
      skippedAsImported: 5,
    });
  });

  it('a later statement overlapping an earlier one adds only the new rows; a twin of a row from the earlier file is now added flagged for review', async () => {
    const text = fs.readFileSync(fixturePath('uk-current-account.csv'), 'utf8').split('\n');
    // The early file ends with the first of the two identical TFL rows.
    const early = files.file('early.csv', [...text.slice(0, 4), ''].join('\n'));
    expect(await importCsvFile(early, 'Current')).toMatchObject({ created: 3 });
    const firstTfl = list('Current').find((t) => t.payeeName === 'TFL TRAVEL CH');
    const full = await importCsvFile(fixturePath('uk-current-account.csv'), 'Current');
    expect(full).toMatchObject({ created: 2, skippedAsImported: 3, flaggedForReview: 1 });
    expect(full.flagged).toEqual([
      expect.objectContaining({ line: 5, relatedTransactionId: firstTfl?.id }),
    ]);
    expect(list('Current').map((t) => t.payeeName)).toEqual([
      'COUNCIL TAX',
      'TFL TRAVEL CH',
      'TFL TRAVEL CH',
      'FREELANCE CLIENT LTD',
      'TESCO STORES 2231',
    ]);
  });

  it('reads decimal-comma amounts', async () => {
    const result = await importCsvFile(fixturePath('de-girokonto.csv'), 'Girokonto', {
      decimalSeparator: ',',
      mapping: {
        date: 'Buchungstag',
        amount: 'Betrag',
        payee: 'Empfänger',
        memo: 'Verwendungszweck',
      },
    });
    expect(result.created).toBe(4);
    expect(result.settings).toContainEqual(setting('delimiter', ';'));
    expect(result.settings).toContainEqual(setting('date format', 'DD.MM.YYYY'));
    expect(result.settings).toContainEqual(
      expect.objectContaining({ name: 'decimal separator', value: ',', source: 'flag' }),
    );
    const stadtwerke = list('Girokonto').find((t) => t.payeeName === 'Stadtwerke München');
    expect(stadtwerke).toMatchObject({
      amountMinor: -123456,
      notes: 'Abschlag Strom; Januar\nWährung: EUR',
      currency: 'EUR',
    });
  });

  it('imports a headerless file by column positions', async () => {
    const result = await importCsvFile(fixturePath('headerless.tsv'), 'Checking', {
      header: false,
      mapping: { date: 1, amount: 2, payee: 3, memo: 4 },
    });
    expect(result).toMatchObject({ created: 3, rows: 3 });
    expect(list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes])).toEqual([
      ['2024-01-04', 120000, 'Client A', 'invoice 7'],
      ['2024-01-03', -450, 'Corner Cafe', 'latte'],
      ['2024-01-03', -450, 'Corner Cafe', 'latte'],
    ]);
  });

  it('a malformed row reports its line and nothing from the file is written', async () => {
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(
      importCsvFile(fixturePath('malformed-line-17.csv'), 'Checking'),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 17: /);
    expect(err.details).toMatchObject({ line: 17, column: 4 });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('an unknown category no longer refuses the file: the row stays uncategorised with "Category: X" in its notes, and the summary lists it', async () => {
    const withCategory = files.file(
      'cat.csv',
      'date,amount,payee,category\n2024-01-01,1.00,A,\n2024-01-02,2.00,B,Nope\n',
    );
    const result = await importCsvFile(withCategory, 'Checking');
    expect(result).toMatchObject({
      created: 2,
      categoriesLeft: ['Nope'],
      categoriesCreated: [],
    });
    expect(list('Checking').map((t) => [t.payeeName, t.categoryId, t.notes])).toEqual([
      ['B', null, 'Category: Nope'],
      ['A', null, ''],
    ]);
    expect(new CategoryService(temp.vault).list().map((c) => c.name)).not.toContain('Nope');
  });

  it('resolves category names; unknown ones are left in the notes, or created with createCategories', async () => {
    const categories = new CategoryService(temp.vault);
    const groceries = categories.create({ name: 'Groceries' });
    const mapping = {
      date: 'date',
      amount: 'amount',
      payee: 'payee',
      memo: 'memo',
      category: 'category',
      id: 'id',
    };
    const file = fixturePath('with-ids-and-categories.csv');

    const left = await importStatementFile(temp.vault, {
      file,
      format: 'csv',
      account: 'Checking',
      readerOptions: { mapping },
      dryRun: true,
    });
    expect(left).toMatchObject({ created: 4, categoriesLeft: ['Entertainment', 'Income'] });

    const result = await importCsvFile(file, 'Checking', { mapping }, { createCategories: true });
    expect(result).toMatchObject({
      created: 4,
      skippedAsImported: 0,
      categoriesCreated: ['Entertainment', 'Income'],
      categoriesLeft: [],
    });
    const byName = new Map(categories.list().map((c) => [c.name, c]));
    expect(byName.get('Entertainment')?.kind).toBe('expense');
    expect(byName.get('Income')?.kind).toBe('income');
    const rows = list('Checking');
    expect(rows.map((t) => [t.payeeName, t.notes, t.categoryId])).toEqual([
      ['Grocer', '', groceries.id],
      ['Client B', 'invoice 12', byName.get('Income')?.id],
      ['StreamCo', 'subscription', byName.get('Entertainment')?.id],
      ['Grocer', 'weekly shop', groceries.id],
    ]);
    expect(rows.map((t) => t.importId).sort()).toEqual([
      'id:tx-1001',
      'id:tx-1002',
      'id:tx-1003',
      'id:tx-1004',
    ]);
    expect(await importCsvFile(file, 'Checking', { mapping })).toMatchObject({
      created: 0,
      skippedAsImported: 4,
    });
  });

  it('refuses a 50 MB file before reading it', async () => {
    const chunk = '2024-01-01,-4.50,Coffee,latte\n'.repeat(35_000);
    const file = path.join(files.dir, 'huge.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'date,amount,payee,memo\n');
    while (fs.fstatSync(fd).size < 50 * 1024 * 1024) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(MAX_IMPORT_FILE_BYTES);

    const before = writeCounts(temp.vault);
    const err = await expectCofferError(importCsvFile(file, 'Checking'));
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.details).toMatchObject({ size: fs.statSync(file).size });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('reports a missing file, an unknown account, an archived account and bad options', async () => {
    const file = fixturePath('us-checking.csv');
    const code = async (promise: Promise<unknown>) => (await expectCofferError(promise)).code;
    expect(await code(importCsvFile(path.join(files.dir, 'nope.csv'), 'Checking'))).toBe(
      'FILE_NOT_FOUND',
    );
    expect(await code(importCsvFile(files.dir, 'Checking'))).toBe('INVALID_INPUT');
    expect(await code(importCsvFile(file, 'Savings'))).toBe('NOT_FOUND');
    new AccountService(temp.vault).archive('Checking');
    expect(await code(importCsvFile(file, 'Checking'))).toBe('INVALID_STATE');
    expect(await code(importCsvFile(file, 'Current', { mapping: { date: 1 } }))).toBe(
      'INVALID_INPUT',
    );
    expect(await code(importCsvFile(file, 'Current', { decimalComma: true }))).toBe(
      'INVALID_INPUT',
    );
    expect(writeCounts(temp.vault)).toMatchObject({ transactions: 0 });
  });

  it('reads a file that is not UTF-8 as windows-1252 and says so', async () => {
    const file = files.file(
      'latin1.csv',
      Buffer.from('date,amount,payee\n2024-01-01,-3.00,Caf\xe9 \x80\n', 'latin1'),
    );
    const result = await importCsvFile(file, 'Checking');
    expect(result.settings).toContainEqual(
      expect.objectContaining({
        name: 'encoding',
        value: 'windows-1252',
        source: 'detected',
        flag: '--encoding',
      }),
    );
    expect(result.warnings.join(' ')).toMatch(/windows-1252/);
    expect(list('Checking')[0]?.payeeName).toBe('Café €');
  });

  it('takes the encoding as a flag', async () => {
    const file = files.file(
      'latin1.csv',
      Buffer.from('date,amount,payee\n2024-01-01,-3.00,Caf\xe9\n', 'latin1'),
    );
    const result = await importCsvFile(file, 'Checking', { encoding: 'iso-8859-1' });
    expect(result.settings).toContainEqual(
      expect.objectContaining({ name: 'encoding', value: 'iso-8859-1', source: 'flag' }),
    );
    expect(list('Checking')[0]?.payeeName).toBe('Café');
  });

  it('cleans payee names the ledger would refuse', async () => {
    const long = 'X'.repeat(300);
    const file = files.file(
      'names.csv',
      `date,amount,payee\n2024-01-01,1.00,"A\tB  C"\n2024-01-02,2.00,${long}\n2024-01-03,3.00,"  "\n`,
    );
    await importCsvFile(file, 'Checking');
    expect(list('Checking').map((t) => t.payeeName)).toEqual([null, 'X'.repeat(200), 'A B C']);
  });

  it('imports a dialect with no flags: preamble and pending lines skipped and listed, every unmapped column kept in the notes', async () => {
    const result = await importCsvFile(fixturePath('csv/de-sparkasse-camt.csv'), 'Girokonto');
    expect(result).toMatchObject({ created: 3, rows: 3 });
    expect(result.settings).toContainEqual(setting('date format', 'DD.MM.YYYY'));
    expect(result.settings).toContainEqual(setting('delimiter', ';'));
    expect(result.skippedLines).toMatchObject({ total: 1, byReason: { pending: 1 } });
    expect(result.skippedLines.lines).toEqual([
      expect.objectContaining({ line: 2, reason: 'pending' }),
    ]);
    expect(result.columns).toEqual(
      expect.arrayContaining([
        { column: 'Buchungstag', field: 'date' },
        { column: 'Betrag', field: 'amount' },
        { column: 'Beguenstigter/Zahlungspflichtiger', field: 'payee' },
      ]),
    );
    expect(result.profile?.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(
      list('Girokonto').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.currency]),
    ).toEqual([
      [
        '2024-03-27',
        -8400,
        'Stadtwerke Beispielstadt',
        [
          'Strom Abschlag Maerz',
          'Auftragskonto: DE44500105175407324931',
          'Valutadatum: 27.03.24',
          'Buchungstext: FOLGELASTSCHRIFT',
          'Glaeubiger ID: DE98ZZZ09999999999',
          'Mandatsreferenz: M-778812',
          'Kundenreferenz (End-to-End): E2E-0327-11',
          'Kontonummer/IBAN: DE02100100100006820101',
          'BIC (SWIFT-Code): PBNKDEFFXXX',
        ].join('\n'),
        'EUR',
      ],
      [
        '2024-03-25',
        315000,
        'Muster & Söhne KG',
        [
          'Gehalt Maerz 2024',
          'Auftragskonto: DE44500105175407324931',
          'Valutadatum: 25.03.24',
          'Buchungstext: GUTSCHR. UEBERWEISUNG',
          'Kontonummer/IBAN: DE75512108001245126199',
          'BIC (SWIFT-Code): SOGEDEFFXXX',
        ].join('\n'),
        'EUR',
      ],
      [
        '2024-03-22',
        -110000,
        'Hausverwaltung König',
        [
          'Miete April',
          'Auftragskonto: DE44500105175407324931',
          'Valutadatum: 22.03.24',
          'Buchungstext: ONLINE-UEBERWEISUNG',
          'Kontonummer/IBAN: DE89370400440532013000',
          'BIC (SWIFT-Code): COBADEFFXXX',
        ].join('\n'),
        'EUR',
      ],
    ]);
  });

  it('takes the header line, delimiter and skip-lines as flags', async () => {
    const text =
      'Export of account 123;;\nfrom 2024-01-01;;\nWhen|What|How much\n2024-01-02|Tea|-2.00\n';
    const file = files.file('preamble.csv', text);
    const byHeaderLine = await importCsvFile(file, 'Checking', {
      headerLine: 3,
      delimiter: '|',
      mapping: { date: 'When', payee: 'What', amount: 'How much' },
    });
    expect(byHeaderLine).toMatchObject({ created: 1 });
    expect(byHeaderLine.settings).toContainEqual(
      expect.objectContaining({ name: 'delimiter', value: '|', source: 'flag' }),
    );
    const bySkipLines = await importCsvFile(file, 'Checking', {
      skipLines: 2,
      delimiter: '|',
      mapping: { date: 'When', payee: 'What', amount: 'How much' },
    });
    expect(bySkipLines).toMatchObject({ created: 0, skippedAsImported: 1 });
    expect(list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName])).toEqual([
      ['2024-01-02', -200, 'Tea'],
    ]);
  });

  it('a reading the file does not settle writes nothing and names the flag; the flag settles it', async () => {
    const file = files.file(
      'ambiguous.csv',
      'Date,Amount,Payee\n03/04/2024,-1.00,A\n03/04/2024,-2.00,B\n',
    );
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(importCsvFile(file, 'Checking'));
    expect(err).toMatchObject({
      code: 'IMPORT_NEEDS_CHOICE',
      details: { setting: 'date format', flag: '--date-format' },
    });
    expect(writeCounts(temp.vault)).toEqual(before);
    const result = await importCsvFile(file, 'Checking', { dateFormat: 'DD/MM/YYYY' });
    expect(result.created).toBe(2);
    expect(list('Checking').map((t) => t.date)).toEqual(['2024-04-03', '2024-04-03']);
  });

  it('negates a card statement on a credit card account, and takes the sign flag as-is', async () => {
    const accounts = new AccountService(temp.vault);
    accounts.create({ name: 'Amex', currency: 'USD', kind: 'credit_card' });
    accounts.create({ name: 'Amex as-is', currency: 'USD', kind: 'credit_card' });
    const file = fixturePath('csv/us-amex-card.csv');
    const result = await importCsvFile(file, 'Amex');
    expect(result.settings).toContainEqual(
      expect.objectContaining({
        name: 'sign rule',
        value: 'negate',
        source: 'detected',
        flag: '--sign',
      }),
    );
    expect(list('Amex').map((t) => t.amountMinor)).toEqual([-8417, 125000, -41260, 2399, -4510]);
    const asIs = await importCsvFile(file, 'Amex as-is', { sign: 'as-is' });
    expect(asIs.settings).toContainEqual(
      expect.objectContaining({ name: 'sign rule', value: 'as-is', source: 'flag' }),
    );
    expect(list('Amex as-is').map((t) => t.amountMinor)).toEqual([
      8417, -125000, 41260, -2399, 4510,
    ]);
  });
});
