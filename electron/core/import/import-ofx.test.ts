import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { importOfx } from './import-ofx.js';
import { expectCofferError, fixturePath, tempDir, writeCounts } from './import-test-helpers.js';

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

describe('importOfx', () => {
  it('imports an OFX 1.x statement by FITID, and re-importing adds nothing', async () => {
    const first = await importOfx(temp.vault, {
      file: fixturePath('ofx1-checking.ofx'),
      account: 'Checking',
    });
    expect(first).toMatchObject({
      created: 4,
      skipped: 0,
      total: 4,
      currency: 'USD',
      bankAccountId: '000123456789',
    });
    expect(first.importBatch).toBe(`ofx:${first.fileSha256}`);
    expect(
      list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.importId]),
    ).toEqual([
      ['2024-01-15', -8217, 'SPRINGFIELD WATER & SEWER', 'ACH debit', 'fitid:2024011500004'],
      ['2024-01-10', -12000, 'CHECK 1042', '', 'fitid:2024011000003'],
      ['2024-01-05', 300000, 'ACME CORP PAYROLL', '', 'fitid:2024010500002'],
      ['2024-01-03', -450, 'CAFÉ ROYAL', 'Card purchase', 'fitid:2024010300001'],
    ]);
    const before = writeCounts(temp.vault);
    expect(
      await importOfx(temp.vault, { file: fixturePath('ofx1-checking.ofx'), account: 'Checking' }),
    ).toMatchObject({ created: 0, skipped: 4, total: 4 });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('imports an OFX 2.x credit card statement', async () => {
    const result = await importOfx(temp.vault, {
      file: fixturePath('ofx2-creditcard.ofx'),
      account: 'Visa',
    });
    expect(result).toMatchObject({ created: 3, currency: 'EUR' });
    expect(list('Visa').map((t) => t.amountMinor)).toEqual([50000, -6400, -1290]);
  });

  it('a deleted imported transaction stays deleted when the statement is imported again', async () => {
    await importOfx(temp.vault, { file: fixturePath('ofx2-creditcard.ofx'), account: 'Visa' });
    const transactions = new TransactionService(temp.vault);
    const payment = list('Visa').find((t) => t.amountMinor === 50000);
    transactions.delete(payment?.id ?? '');
    expect(
      await importOfx(temp.vault, { file: fixturePath('ofx2-creditcard.ofx'), account: 'Visa' }),
    ).toMatchObject({ created: 0, skipped: 3 });
    expect(list('Visa')).toHaveLength(2);
  });

  it('refuses a statement in another currency than the account, writing nothing', async () => {
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(
      importOfx(temp.vault, { file: fixturePath('ofx2-creditcard.ofx'), account: 'Checking' }),
    );
    expect(err.code).toBe('CURRENCY_MISMATCH');
    expect(err.message).toMatch(
      /^line 16: the statement is in EUR but account "Checking" is in USD/,
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
      const err = await expectCofferError(importOfx(temp.vault, { file, account: 'Checking' }));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(err.message).toMatch(/^line \d+: /);
    }
    const noListEnd = files.file(
      'no-list-end.ofx',
      whole.toString('latin1').replace('</BANKTRANLIST>', ''),
    );
    expect(
      (await expectCofferError(importOfx(temp.vault, { file: noListEnd, account: 'Checking' })))
        .code,
    ).toBe('IMPORT_PARSE_ERROR');
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('refuses a file larger than the import limit before parsing', async () => {
    const file = files.file('big.ofx', '');
    fs.truncateSync(file, 21 * 1024 * 1024);
    expect(
      (await expectCofferError(importOfx(temp.vault, { file, account: 'Checking' }))).code,
    ).toBe('FILE_TOO_LARGE');
  });

  it('stores CDATA payee and memo whole, < and > included', async () => {
    await importOfx(temp.vault, {
      file: fixturePath('ofx/us-checking-ofx102.ofx'),
      account: 'Checking',
    });
    expect(
      list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes, t.importId]),
    ).toEqual([
      ['2025-02-28', -600, 'MONTHLY SERVICE FEE', '', 'fitid:202502280004'],
      [
        '2025-02-14',
        281466,
        'ACME WIDGETS PAYROLL',
        'DIRECT DEP PPD ID: 1234567890',
        'fitid:202502140003',
      ],
      ['2025-02-07', -125000, 'CHECK 2231', 'RENT FEB', 'fitid:202502070002'],
      [
        '2025-02-03',
        -4217,
        'H&M <ONLINE> #0042',
        'POS PURCHASE > TERMINAL 7 < OAK PARK IL',
        'fitid:202502030001',
      ],
    ]);
  });

  it("an empty CURDEF imports in the account's currency and says so", async () => {
    const result = await importOfx(temp.vault, {
      file: fixturePath('ofx/empty-curdef.ofx'),
      account: 'Visa',
    });
    expect(result).toMatchObject({ created: 2, currency: 'EUR', bankAccountId: '0099887766' });
    expect(result.warnings).toEqual([
      "line 18: account 0099887766 names no currency (<CURDEF> is empty); the account's currency is used",
    ]);
    expect(list('Visa').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes])).toEqual([
      ['2025-04-05', 185000, 'Muster GmbH Gehalt', ''],
      ['2025-04-02', -1990, 'Stadtwerke Beispiel', 'Abschlag April'],
    ]);
  });

  it('rows without FITID fall back to a content key: re-importing adds nothing, twin rows both kept', async () => {
    new AccountService(temp.vault).create({ name: 'Savings AU', currency: 'AUD' });
    const file = fixturePath('ofx/no-fitid.ofx');
    const first = await importOfx(temp.vault, { file, account: 'Savings AU' });
    expect(first).toMatchObject({ created: 3, skipped: 0 });
    expect(first.warnings).toHaveLength(3);
    const stored = new TransactionService(temp.vault)
      .list({ limit: 100 })
      .filter((t) => t.amountMinor === -480);
    expect(stored).toHaveLength(2);
    expect(stored.every((t) => t.importId?.startsWith('hash:'))).toBe(true);
    const before = writeCounts(temp.vault);
    expect(await importOfx(temp.vault, { file, account: 'Savings AU' })).toMatchObject({
      created: 0,
      skipped: 3,
    });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it("a bank's error reply and a multi-account file write nothing", async () => {
    const before = writeCounts(temp.vault);
    const bank = await expectCofferError(
      importOfx(temp.vault, {
        file: fixturePath('ofx/error-general-2000.ofx'),
        account: 'Checking',
      }),
    );
    expect(bank.code).toBe('IMPORT_BANK_ERROR');
    expect(bank.message).toContain('the bank answered: "General error. Please try again later."');
    const multi = await expectCofferError(
      importOfx(temp.vault, { file: fixturePath('ofx/multi-account.ofx'), account: 'Checking' }),
    );
    expect(multi.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    expect(multi.message).toMatch(
      /111122223333 on line 17, 111122223344 on line 43, 5500005555555559 on line 71/,
    );
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('a transaction in a foreign <CURRENCY> is refused at its line, writing nothing', async () => {
    const text = fs
      .readFileSync(fixturePath('ofx2-creditcard.ofx'), 'utf8')
      .replace(
        '<FITID>CC-9003</FITID>',
        '<FITID>CC-9003</FITID><CURRENCY><CURRATE>0.92</CURRATE><CURSYM>USD</CURSYM></CURRENCY>',
      );
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(
      importOfx(temp.vault, { file: files.file('foreign.ofx', text), account: 'Visa' }),
    );
    expect(err.code).toBe('CURRENCY_MISMATCH');
    expect(err.message).toBe("line 37: this transaction is in USD, not the account's EUR");
    expect(writeCounts(temp.vault)).toEqual(before);
  });
});
