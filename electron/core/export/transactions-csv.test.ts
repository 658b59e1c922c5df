import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { importStatementFile } from '../import/import-statement-file.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { createPopulatedVault, type PopulatedVault } from './export-test-vault.js';
import { exportTransactionsCsv } from './transactions-csv.js';

let source: PopulatedVault;
let dir: string;

beforeEach(async () => {
  source = await createPopulatedVault();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-csv-export-'));
});

afterEach(() => {
  source.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('exportTransactionsCsv', () => {
  it('writes live transactions oldest first with exact decimal amounts, mode 0600', () => {
    const file = path.join(dir, 'tx.csv');
    expect(exportTransactionsCsv(source.vault, file)).toEqual({ rows: 3 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('date,account,payee,category,amount,currency,notes,id');
    expect(lines.slice(1, 4).map((l) => l.split(',').slice(0, 7).join(','))).toEqual([
      '2025-03-01,Checking,Corner Cafe,Food,-12.50,USD,',
      '2025-03-02,Checking,Big Market,Groceries; Food,-100.00,USD,weekly shop (edited)',
      '2025-03-04,Checking,Acme Corp,Income,2500.00,USD,',
    ]);
    expect(lines[4]).toBe('');
  });

  it('filters by account, category and month', () => {
    const file = path.join(dir, 'f.csv');
    expect(exportTransactionsCsv(source.vault, file, { category: 'Groceries' }).rows).toBe(1);
    expect(exportTransactionsCsv(source.vault, file, { account: 'Old savings' }).rows).toBe(0);
    expect(
      exportTransactionsCsv(source.vault, file, {
        month: '2025-03',
        from: '2025-03-02',
        to: '2025-03-03',
      }).rows,
    ).toBe(1);
    expect(exportTransactionsCsv(source.vault, file, { month: '2025-04' }).rows).toBe(0);
    expect(() => exportTransactionsCsv(source.vault, file, { account: 'Nope' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => exportTransactionsCsv(source.vault, file, { month: '2025-13' })).toThrow(
      expect.objectContaining({ code: 'INVALID_MONTH' }),
    );
  });

  it('quotes what needs quoting and defuses spreadsheet formulas in text cells', () => {
    new TransactionService(source.vault).create({
      accountId: 'Checking',
      date: '2025-02-01',
      amountMinor: -1,
      payeeName: '=HYPERLINK("http://evil")',
      notes: 'line one\nline "two", end',
    });
    const file = path.join(dir, 'q.csv');
    exportTransactionsCsv(source.vault, file, { to: '2025-02-28' });
    const row = fs.readFileSync(file, 'utf8').split('\r\n').slice(1).join('\r\n');
    expect(row).toMatch(
      /^2025-02-01,Checking,"'=HYPERLINK\(""http:\/\/evil""\)",,-0\.01,USD,"line one\nline ""two"", end",[0-9a-f-]{36}\r\n$/,
    );
  });

  it('can be imported back into an account, once', async () => {
    const file = path.join(dir, 'back.csv');
    exportTransactionsCsv(source.vault, file, { account: 'Checking' });
    const target: TempVault = await createTempVault();
    try {
      new AccountService(target.vault).create({ name: 'Restored', currency: 'USD' });
      const options = {
        file,
        format: 'csv' as const,
        account: 'Restored',
        createCategories: true,
      };
      const first = await importStatementFile(target.vault, options);
      expect(first).toMatchObject({ created: 3, skippedAsImported: 0 });
      expect(first.settings).toContainEqual(
        expect.objectContaining({ name: 'date format', value: 'YYYY-MM-DD' }),
      );
      const restored = new TransactionService(target.vault).list({ accountId: 'Restored' });
      expect(restored.map((t) => [t.date, t.amountMinor, t.payeeName, t.notes])).toEqual([
        ['2025-03-04', 250_000, 'Acme Corp', 'account: Checking'],
        ['2025-03-02', -10_000, 'Big Market', 'weekly shop (edited)\naccount: Checking'],
        ['2025-03-01', -1250, 'Corner Cafe', 'account: Checking'],
      ]);
      // The source account's name is no field of a transaction: it is kept in the notes.
      expect(first.columns).toContainEqual({ column: 'account', field: 'notes' });
      expect(await importStatementFile(target.vault, options)).toMatchObject({
        created: 0,
        skippedAsImported: 3,
      });
    } finally {
      target.cleanup();
    }
  });
});
