import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { CategoryService } from '../ledger/category.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { importCsv } from './import-csv.js';
import { MAX_IMPORT_FILE_BYTES } from './import-file.js';
import { expectCofferError, fixturePath, tempDir, writeCounts } from './import-test-helpers.js';

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

describe('importCsv', () => {
  it('imports a statement and re-importing it adds nothing', async () => {
    const options = {
      file: fixturePath('us-checking.csv'),
      account: 'checking',
      mapping: { date: 'Posting Date', amount: 'Amount', payee: 'Description' },
    };
    const first = await importCsv(temp.vault, options);
    expect(first).toMatchObject({
      created: 5,
      skipped: 0,
      total: 5,
      dateFormat: 'MM/DD/YYYY',
      delimiter: ',',
    });
    expect(first.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.importBatch).toBe(`csv:${first.fileSha256}`);

    const rows = list('Checking');
    expect(rows.map((t) => [t.date, t.amountMinor, t.payeeName, t.currency])).toEqual([
      ['2024-01-31', -12000, 'CHECK 1042', 'USD'],
      ['2024-01-20', -185000, 'RENT - JANUARY', 'USD'],
      ['2024-01-15', -8217, 'CITY OF SPRINGFIELD WATER, SEWER', 'USD'],
      ['2024-01-05', 300000, 'ACME CORP PAYROLL', 'USD'],
      ['2024-01-02', -450, 'BLUE BOTTLE COFFEE #12', 'USD'],
    ]);
    expect(
      rows.every((t) => t.importId?.startsWith('hash:') && t.importBatch === first.importBatch),
    ).toBe(true);

    const before = writeCounts(temp.vault);
    const again = await importCsv(temp.vault, options);
    expect(again).toMatchObject({ created: 0, skipped: 5, total: 5, fileSha256: first.fileSha256 });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('imports two identical rows of one file as two transactions, once', async () => {
    const options = { file: fixturePath('uk-current-account.csv'), account: 'Current' };
    expect(await importCsv(temp.vault, options)).toMatchObject({
      created: 5,
      skipped: 0,
      columns: { date: 'Date', debit: 'Money Out', credit: 'Money In', payee: 'Description' },
    });
    const tfl = list('Current').filter((t) => t.payeeName === 'TFL TRAVEL CH');
    expect(tfl).toHaveLength(2);
    expect(new Set(tfl.map((t) => t.importId)).size).toBe(2);
    expect(await importCsv(temp.vault, options)).toMatchObject({ created: 0, skipped: 5 });
  });

  it('a later statement overlapping an earlier one adds only the new rows', async () => {
    const text = fs.readFileSync(fixturePath('uk-current-account.csv'), 'utf8').split('\n');
    const early = files.file('early.csv', [...text.slice(0, 4), ''].join('\n'));
    expect(await importCsv(temp.vault, { file: early, account: 'Current' })).toMatchObject({
      created: 3,
    });
    expect(
      await importCsv(temp.vault, {
        file: fixturePath('uk-current-account.csv'),
        account: 'Current',
      }),
    ).toMatchObject({ created: 2, skipped: 3 });
  });

  it('reads decimal-comma amounts', async () => {
    const result = await importCsv(temp.vault, {
      file: fixturePath('de-girokonto.csv'),
      account: 'Girokonto',
      decimalComma: true,
      mapping: {
        date: 'Buchungstag',
        amount: 'Betrag',
        payee: 'Empfänger',
        memo: 'Verwendungszweck',
      },
    });
    expect(result).toMatchObject({ created: 4, delimiter: ';', dateFormat: 'DD.MM.YYYY' });
    const stadtwerke = list('Girokonto').find((t) => t.payeeName === 'Stadtwerke München');
    expect(stadtwerke).toMatchObject({
      amountMinor: -123456,
      notes: 'Abschlag Strom; Januar',
      currency: 'EUR',
    });
  });

  it('imports a headerless file by column positions', async () => {
    const result = await importCsv(temp.vault, {
      file: fixturePath('headerless.tsv'),
      account: 'Checking',
      header: false,
      mapping: { date: 1, amount: 2, payee: 3, memo: 4 },
    });
    expect(result).toMatchObject({ created: 3, total: 3 });
  });

  it('a malformed row reports its line and nothing from the file is written', async () => {
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(
      importCsv(temp.vault, { file: fixturePath('malformed-line-17.csv'), account: 'Checking' }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 17: /);
    expect(err.details).toMatchObject({ line: 17, column: 4 });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('an error found only against the vault (an unknown category) also writes nothing', async () => {
    const before = writeCounts(temp.vault);
    const file = files.file(
      'late.csv',
      'date,amount,payee\n2024-01-01,1.00,A\n2024-01-02,2.00,B\n2024-01-03,3.00,C\n',
    );
    // An unknown category is only found once the rows meet the vault.
    const withCategory = files.file(
      'cat.csv',
      'date,amount,payee,category\n2024-01-01,1.00,A,\n2024-01-02,2.00,B,Nope\n',
    );
    const err = await expectCofferError(
      importCsv(temp.vault, { file: withCategory, account: 'Checking' }),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 3: no category named "Nope"/);
    expect(writeCounts(temp.vault)).toEqual(before);
    expect(await importCsv(temp.vault, { file, account: 'Checking' })).toMatchObject({
      created: 3,
    });
  });

  it('resolves category names, or creates them when asked', async () => {
    const categories = new CategoryService(temp.vault);
    categories.create({ name: 'Groceries' });
    const options = {
      file: fixturePath('with-ids-and-categories.csv'),
      account: 'Checking',
      mapping: {
        date: 'date',
        amount: 'amount',
        payee: 'payee',
        memo: 'memo',
        category: 'category',
        id: 'id',
      },
    };
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(importCsv(temp.vault, options));
    expect(err.message).toMatch(/^line 3: no category named "Entertainment"/);
    expect(writeCounts(temp.vault)).toEqual(before);

    const result = await importCsv(temp.vault, { ...options, createCategories: true });
    expect(result).toMatchObject({ created: 4, skipped: 0 });
    const byName = new Map(categories.list().map((c) => [c.name, c]));
    expect(byName.get('Entertainment')?.kind).toBe('expense');
    expect(byName.get('Income')?.kind).toBe('income');
    const rows = list('Checking');
    expect(rows.filter((t) => t.categoryId === byName.get('Groceries')?.id)).toHaveLength(2);
    expect(rows.map((t) => t.importId).sort()).toEqual([
      'id:tx-1001',
      'id:tx-1002',
      'id:tx-1003',
      'id:tx-1004',
    ]);
    expect(await importCsv(temp.vault, options)).toMatchObject({ created: 0, skipped: 4 });
  });

  it('refuses a 50 MB file quickly, before reading it', async () => {
    const chunk = '2024-01-01,-4.50,Coffee,latte\n'.repeat(35_000);
    const file = path.join(files.dir, 'huge.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'date,amount,payee,memo\n');
    while (fs.fstatSync(fd).size < 50 * 1024 * 1024) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(MAX_IMPORT_FILE_BYTES);

    const before = writeCounts(temp.vault);
    const started = performance.now();
    const err = await expectCofferError(importCsv(temp.vault, { file, account: 'Checking' }));
    expect(performance.now() - started).toBeLessThan(500);
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('reports a missing file, an unknown account, an archived account and bad options', async () => {
    expect(
      (
        await expectCofferError(
          importCsv(temp.vault, { file: path.join(files.dir, 'nope.csv'), account: 'Checking' }),
        )
      ).code,
    ).toBe('FILE_NOT_FOUND');
    expect(
      (await expectCofferError(importCsv(temp.vault, { file: files.dir, account: 'Checking' })))
        .code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await expectCofferError(
          importCsv(temp.vault, { file: fixturePath('us-checking.csv'), account: 'Savings' }),
        )
      ).code,
    ).toBe('NOT_FOUND');
    new AccountService(temp.vault).archive('Checking');
    expect(
      (
        await expectCofferError(
          importCsv(temp.vault, { file: fixturePath('us-checking.csv'), account: 'Checking' }),
        )
      ).code,
    ).toBe('INVALID_STATE');
    const bad = await expectCofferError(
      importCsv(temp.vault, {
        file: fixturePath('us-checking.csv'),
        account: 'Current',
        mapping: { date: 1 },
      }),
    );
    expect(bad.code).toBe('INVALID_INPUT');
  });

  it('reads a file that is not UTF-8 as windows-1252 and says so', async () => {
    const file = files.file(
      'latin1.csv',
      Buffer.from('date,amount,payee\n2024-01-01,-3.00,Caf\xe9 \x80\n', 'latin1'),
    );
    const result = await importCsv(temp.vault, { file, account: 'Checking' });
    expect(result.settings).toContainEqual({
      name: 'encoding',
      value: 'windows-1252',
      source: 'detected',
      flag: '--encoding',
    });
    expect(result.warnings.join(' ')).toMatch(/windows-1252/);
    expect(list('Checking')[0]?.payeeName).toBe('Café €');
  });

  it('cleans payee names the ledger would refuse', async () => {
    const long = 'X'.repeat(300);
    const file = files.file(
      'names.csv',
      `date,amount,payee\n2024-01-01,1.00,"A\tB  C"\n2024-01-02,2.00,${long}\n2024-01-03,3.00,"  "\n`,
    );
    await importCsv(temp.vault, { file, account: 'Checking' });
    expect(list('Checking').map((t) => t.payeeName)).toEqual([null, 'X'.repeat(200), 'A B C']);
  });

  it('imports a dialect with no flags: preamble and pending lines skipped and listed', async () => {
    const result = await importCsv(temp.vault, {
      file: fixturePath('csv/de-sparkasse-camt.csv'),
      account: 'Girokonto',
    });
    expect(result).toMatchObject({
      created: 3,
      total: 3,
      dateFormat: 'DD.MM.YYYY',
      delimiter: ';',
    });
    expect(result.skippedLines).toEqual([expect.objectContaining({ line: 2, reason: 'pending' })]);
    expect(result.columns).toMatchObject({
      date: 'Buchungstag',
      amount: 'Betrag',
      payee: 'Beguenstigter/Zahlungspflichtiger',
    });
    expect(result.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(
      list('Girokonto').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.currency]),
    ).toEqual([
      ['2024-03-27', -8400, 'Stadtwerke Beispielstadt', 'Strom Abschlag Maerz', 'EUR'],
      ['2024-03-25', 315000, 'Muster & Söhne KG', 'Gehalt Maerz 2024', 'EUR'],
      ['2024-03-22', -110000, 'Hausverwaltung König', 'Miete April', 'EUR'],
    ]);
  });

  it('a reading the file does not settle writes nothing and names the flag; the flag settles it', async () => {
    const file = files.file(
      'ambiguous.csv',
      'Date,Amount,Payee\n03/04/2024,-1.00,A\n03/04/2024,-2.00,B\n',
    );
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(importCsv(temp.vault, { file, account: 'Checking' }));
    expect(err).toMatchObject({
      code: 'IMPORT_NEEDS_CHOICE',
      details: { setting: 'date format', flag: '--date-format' },
    });
    expect(writeCounts(temp.vault)).toEqual(before);
    const result = await importCsv(temp.vault, {
      file,
      account: 'Checking',
      dateFormat: 'DD/MM/YYYY',
    });
    expect(result.created).toBe(2);
    expect(list('Checking').map((t) => t.date)).toEqual(['2024-04-03', '2024-04-03']);
  });

  it('negates a card statement on a credit card account, and takes --sign as-is', async () => {
    new AccountService(temp.vault).create({ name: 'Amex', currency: 'USD', kind: 'credit_card' });
    const result = await importCsv(temp.vault, {
      file: fixturePath('csv/us-amex-card.csv'),
      account: 'Amex',
    });
    expect(result.settings).toContainEqual({
      name: 'sign rule',
      value: 'negate',
      source: 'detected',
      flag: '--sign',
    });
    expect(list('Amex').map((t) => t.amountMinor)).toEqual([-8417, 125000, -41260, 2399, -4510]);
    const asIs = await importCsv(temp.vault, {
      file: fixturePath('csv/us-amex-card.csv'),
      account: 'Checking',
      accountKind: 'credit_card',
      sign: 'as-is',
    });
    expect(asIs.resolved.sign).toBe('as-is');
    expect(list('Checking').map((t) => t.amountMinor)).toEqual([8417, -125000, 41260, -2399, 4510]);
  });
});
