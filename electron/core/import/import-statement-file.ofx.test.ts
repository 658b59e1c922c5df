import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { AccountBankIdService } from './account-bank-id.service.js';
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
  accounts.create({ name: 'Visa', currency: 'EUR', kind: 'credit_card' });
});

afterEach(() => {
  temp.cleanup();
  files.cleanup();
});

const list = (account: string) =>
  new TransactionService(temp.vault).list({ accountId: account, limit: 1000 });

const importOfxFile = (file: string, account?: string, statementAccount?: string) =>
  importStatementFile(temp.vault, {
    file,
    format: 'ofx',
    ...(account === undefined ? {} : { account }),
    ...(statementAccount === undefined ? {} : { statementAccount }),
  });

describe('importStatementFile: OFX statements', () => {
  it('imports an OFX 1.x statement by FITID, and re-importing adds nothing', async () => {
    const first = await importOfxFile(fixturePath('ofx1-checking.ofx'), 'Checking');
    expect(first).toMatchObject({ created: 4, skippedAsImported: 0, rows: 4, format: 'ofx' });
    expect(first.statements).toEqual([
      expect.objectContaining({ bankAccountId: '000123456789', accountName: 'Checking' }),
    ]);
    expect(first.settings).toContainEqual(
      expect.objectContaining({
        name: 'account 000123456789 (line 33)',
        value: 'CHECKING, bank 121000248, USD',
      }),
    );
    expect(first.importBatch).toBe(`ofx:${first.fileSha256.slice(0, 16)}`);
    expect(
      list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.importId]),
    ).toEqual([
      [
        '2024-01-15',
        -8217,
        'SPRINGFIELD WATER & SEWER',
        'ACH debit\n<TRNTYPE>: DEBIT',
        'fitid:2024011500004',
      ],
      [
        '2024-01-10',
        -12000,
        'CHECK 1042',
        '<TRNTYPE>: CHECK\n<CHECKNUM>: 1042',
        'fitid:2024011000003',
      ],
      ['2024-01-05', 300000, 'ACME CORP PAYROLL', '<TRNTYPE>: DIRECTDEP', 'fitid:2024010500002'],
      ['2024-01-03', -450, 'CAFÉ ROYAL', 'Card purchase\n<TRNTYPE>: POS', 'fitid:2024010300001'],
    ]);
    const before = writeCounts(temp.vault);
    expect(await importOfxFile(fixturePath('ofx1-checking.ofx'), 'Checking')).toMatchObject({
      created: 0,
      skippedAsImported: 4,
      rows: 4,
    });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('imports an OFX 2.x credit card statement', async () => {
    const result = await importOfxFile(fixturePath('ofx2-creditcard.ofx'), 'Visa');
    expect(result).toMatchObject({ created: 3 });
    expect(result.settings).toContainEqual(
      expect.objectContaining({ value: 'CREDITCARD, EUR', source: 'file' }),
    );
    expect(list('Visa').map((t) => [t.date, t.amountMinor, t.payeeName, t.currency])).toEqual([
      ['2024-02-25', 50000, 'Payment - thank you', 'EUR'],
      ['2024-02-14', -6400, 'Trattoria Roma', 'EUR'],
      ['2024-02-02', -1290, 'Librairie Étoile', 'EUR'],
    ]);
  });

  it('a deleted imported transaction stays deleted when the statement is imported again', async () => {
    await importOfxFile(fixturePath('ofx2-creditcard.ofx'), 'Visa');
    const payment = list('Visa').find((t) => t.amountMinor === 50000);
    new TransactionService(temp.vault).delete(payment?.id ?? '');
    expect(await importOfxFile(fixturePath('ofx2-creditcard.ofx'), 'Visa')).toMatchObject({
      created: 0,
      skippedAsImported: 3,
    });
    expect(list('Visa').map((t) => t.amountMinor)).toEqual([-6400, -1290]);
  });

  it('refuses a statement in another currency than the account, writing nothing', async () => {
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(
      importOfxFile(fixturePath('ofx2-creditcard.ofx'), 'Checking'),
    );
    expect(err.code).toBe('CURRENCY_MISMATCH');
    expect(err.message).toMatch(
      /^line 15: the statement is in EUR but account "Checking" is in USD/,
    );
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('a truncated file reports a line and writes nothing', async () => {
    const whole = fs.readFileSync(fixturePath('ofx1-checking.ofx'));
    const before = writeCounts(temp.vault);
    for (const fraction of [0.3, 0.5, 0.7, 0.9, 0.99]) {
      const file = files.file(
        `cut-${fraction}.ofx`,
        whole.subarray(0, Math.floor(whole.length * fraction)),
      );
      const err = await expectCofferError(importOfxFile(file, 'Checking'));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(err.message).toMatch(/^line \d+: /);
    }
    const noListEnd = files.file(
      'no-list-end.ofx',
      whole.toString('latin1').replace('</BANKTRANLIST>', ''),
    );
    expect((await expectCofferError(importOfxFile(noListEnd, 'Checking'))).code).toBe(
      'IMPORT_PARSE_ERROR',
    );
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('refuses a file larger than the import limit before parsing', async () => {
    const file = files.file('big.ofx', '');
    fs.truncateSync(file, 21 * 1024 * 1024);
    expect((await expectCofferError(importOfxFile(file, 'Checking'))).code).toBe('FILE_TOO_LARGE');
  });

  it('stores CDATA payee and memo whole, < and > included', async () => {
    await importOfxFile(fixturePath('ofx/us-checking-ofx102.ofx'), 'Checking');
    expect(
      list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.importId]),
    ).toEqual([
      [
        '2025-02-28',
        -600,
        'MONTHLY SERVICE FEE',
        '<TRNTYPE>: FEE\n<DTAVAIL>: 20250301120000.000[-6:CST]',
        'fitid:202502280004',
      ],
      [
        '2025-02-14',
        281466,
        'ACME WIDGETS PAYROLL',
        'DIRECT DEP PPD ID: 1234567890\n<TRNTYPE>: DIRECTDEP\n<REFNUM>: PPD0214\n<SIC>: 7372\n<PAYEEID>: ACMEPAY',
        'fitid:202502140003',
      ],
      [
        '2025-02-07',
        -125000,
        'CHECK 2231',
        'RENT FEB\n<TRNTYPE>: CHECK\n<CHECKNUM>: 2231\n<REFNUM>: 000002231',
        'fitid:202502070002',
      ],
      [
        '2025-02-03',
        -4217,
        'H&M <ONLINE> #0042',
        'POS PURCHASE > TERMINAL 7 < OAK PARK IL\n<TRNTYPE>: DEBIT\n<DTUSER>: 20250201120000.000[-6:CST]',
        'fitid:202502030001',
      ],
    ]);
  });

  it("an empty CURDEF imports in the account's currency and says so", async () => {
    const result = await importOfxFile(fixturePath('ofx/empty-curdef.ofx'), 'Visa');
    expect(result).toMatchObject({ created: 2 });
    expect(result.statements).toEqual([
      expect.objectContaining({ bankAccountId: '0099887766', accountName: 'Visa' }),
    ]);
    expect(result.warnings).toEqual([
      "line 18: account 0099887766 names no currency (<CURDEF> is empty); the account's currency is used",
    ]);
    expect(
      list('Visa').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.currency]),
    ).toEqual([
      ['2025-04-05', 185000, 'Muster GmbH Gehalt', '<TRNTYPE>: CREDIT', 'EUR'],
      ['2025-04-02', -1990, 'Stadtwerke Beispiel', 'Abschlag April\n<TRNTYPE>: DEBIT', 'EUR'],
    ]);
  });

  it('rows without FITID fall back to a content key: re-importing adds nothing, twin rows both kept', async () => {
    new AccountService(temp.vault).create({ name: 'Savings AU', currency: 'AUD' });
    const file = fixturePath('ofx/no-fitid.ofx');
    const first = await importOfxFile(file, 'Savings AU');
    expect(first).toMatchObject({ created: 3, skippedAsImported: 0 });
    expect(first.warnings).toEqual([
      'line 14: a transaction of account 12345678 has no <FITID>; it is recognised on re-import by its date, amount and description',
      'line 21: a transaction of account 12345678 has no <FITID>; it is recognised on re-import by its date, amount and description',
      'line 28: a transaction of account 12345678 has no <FITID>; it is recognised on re-import by its date, amount and description',
    ]);
    const stored = list('Savings AU').filter((t) => t.amountMinor === -480);
    expect(stored).toHaveLength(2);
    expect(stored.every((t) => t.importId === null && t.importKey?.startsWith('k:'))).toBe(true);
    expect(new Set(stored.map((t) => t.importKey)).size).toBe(2);
    const before = writeCounts(temp.vault);
    expect(await importOfxFile(file, 'Savings AU')).toMatchObject({
      created: 0,
      skippedAsImported: 3,
    });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it("a bank's error reply is shown as the bank's own message and writes nothing", async () => {
    const before = writeCounts(temp.vault);
    const bank = await expectCofferError(
      importOfxFile(fixturePath('ofx/error-general-2000.ofx'), 'Checking'),
    );
    expect(bank.code).toBe('IMPORT_BANK_ERROR');
    expect(bank.message).toContain('the bank answered: "General error. Please try again later."');
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('a multi-account file is now routed, not refused: one --account names which statement is meant, each choice is remembered, and the next import routes every statement', async () => {
    const file = fixturePath('ofx/multi-account.ofx');
    const accounts = new AccountService(temp.vault);
    const savings = accounts.create({ name: 'Savings', currency: 'USD' });
    const card = accounts.create({ name: 'Mastercard', currency: 'USD', kind: 'credit_card' });
    const before = writeCounts(temp.vault);

    const unknown = await expectCofferError(importOfxFile(file));
    expect(unknown.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(unknown.details).toEqual({
      bankAccountIds: ['111122223333', '111122223344', '5500005555555559'],
    });
    const oneAccount = await expectCofferError(importOfxFile(file, 'Checking'));
    expect(oneAccount.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(oneAccount.message).toMatch(/--statement-account ID/);
    expect(writeCounts(temp.vault)).toEqual(before);

    const checking = await importOfxFile(file, 'Checking', '111122223333');
    expect(checking).toMatchObject({ created: 2 });
    expect(checking.remembered).toEqual([
      { bankAccountId: '111122223333', accountId: accounts.resolveAccount('Checking').id },
    ]);
    await importOfxFile(file, 'Savings', '111122223344');
    const bankIds = new AccountBankIdService(temp.vault);
    expect(bankIds.findAccount('111122223344')?.id).toBe(savings.id);
    expect(bankIds.findAccount('5500005555555559')).toBeUndefined();

    // The card's statement is not bound yet: the whole file is still refused, writing nothing.
    const midway = writeCounts(temp.vault);
    expect((await expectCofferError(importOfxFile(file))).details).toEqual({
      bankAccountIds: ['5500005555555559'],
    });
    expect(writeCounts(temp.vault)).toEqual(midway);

    await importOfxFile(file, 'Mastercard', '5500005555555559');
    const again = await importOfxFile(file);
    expect(again).toMatchObject({ rows: 5, created: 0, skippedAsImported: 5 });
    expect(again.statements.map((s) => [s.bankAccountId, s.accountName])).toEqual([
      ['111122223333', 'Checking'],
      ['111122223344', 'Savings'],
      ['5500005555555559', 'Mastercard'],
    ]);
    expect(list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName])).toEqual([
      ['2025-03-11', -6000, 'ATM WITHDRAWAL 4TH ST'],
      ['2025-03-03', -7500, 'ONLINE TRANSFER TO SAV 3344'],
    ]);
    expect(list('Savings').map((t) => [t.date, t.amountMinor, t.payeeName])).toEqual([
      ['2025-03-31', 42, 'INTEREST PAYMENT'],
      ['2025-03-03', 7500, 'ONLINE TRANSFER FROM CHK 3333'],
    ]);
    expect(list(card.id).map((t) => [t.date, t.amountMinor, t.payeeName])).toEqual([
      ['2025-03-07', -3350, 'SHELL OIL 5744'],
    ]);
  });

  it('a transaction in a foreign <CURRENCY> is refused at its line, writing nothing', async () => {
    const text = fs
      .readFileSync(fixturePath('ofx2-creditcard.ofx'), 'utf8')
      .replace(
        '<FITID>CC-9003</FITID>',
        '<FITID>CC-9003</FITID><CURRENCY><CURRATE>0.92</CURRATE><CURSYM>USD</CURSYM></CURRENCY>',
      );
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(importOfxFile(files.file('foreign.ofx', text), 'Visa'));
    expect(err.code).toBe('CURRENCY_MISMATCH');
    expect(err.message).toBe(
      'line 37: the row is in USD but account "Visa" is in EUR; a file in several currencies imports one currency per account: --only-currency EUR here, and the USD rows into a USD account with --only-currency USD',
    );
    expect(err.details).toEqual({ line: 37, currency: 'USD', accountCurrency: 'EUR' });
    expect(writeCounts(temp.vault)).toEqual(before);
  });
});
