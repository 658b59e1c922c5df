import { setImmediate } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { CategoryService } from '../ledger/category.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { statement } from '../testing/statement-test-kit.js';
import { AccountBankIdService } from './account-bank-id.service.js';
import { importStatementFile } from './import-statement-file.js';
import { previewStatementFile } from './import-preview.js';
import { ImportProfileService } from './import-profile.service.js';
import {
  expectCofferError,
  fixturePath,
  tempDir,
  writeCounts,
} from './testing/import-test-helpers.js';
import type { StatementReaders } from './statement-reader.js';
import type { RowSpec } from '../testing/statement-test-kit.js';

let temp: TempVault;
let files: ReturnType<typeof tempDir>;

beforeEach(async () => {
  temp = await createTempVault();
  files = tempDir();
  const accounts = new AccountService(temp.vault);
  accounts.create({ name: 'Checking', currency: 'USD' });
  accounts.create({ name: 'Savings', currency: 'USD' });
  accounts.create({ name: 'Current', currency: 'GBP' });
});
afterEach(() => {
  temp.cleanup();
  files.cleanup();
});

/** Every index of the vault with its SQL, as sqlite_master holds them. */
const indexNames = (vault: TempVault['vault']): string[] =>
  vault.db
    .prepare<[], string>(
      "SELECT name || ': ' || coalesce(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name",
    )
    .pluck()
    .all();

const list = (account: string) =>
  new TransactionService(temp.vault)
    .list({ accountId: account, limit: 1000 })
    .sort(
      (a, b) =>
        a.date.localeCompare(b.date) ||
        a.amountMinor - b.amountMinor ||
        a.notes.localeCompare(b.notes),
    );

const STATEMENT = [
  'Date,Amount,Description,Memo,Ref',
  '2025-01-02,-4.50,BLUE BOTTLE COFFEE,Card 1234,R-1',
  '2025-01-05,3000.00,ACME PAYROLL,Salary,R-2',
  '2025-01-09,-82.17,CITY WATER,Acct 778,R-3',
  '2025-01-20,-1850.00,RENT,January,R-4',
  '2025-01-20,-1850.00,RENT,January,R-5',
  '',
].join('\n');

const csv = (file: string, mapping: Record<string, string>, extra: object = {}) =>
  importStatementFile(temp.vault, {
    file,
    format: 'csv',
    account: 'Checking',
    readerOptions: { mapping, ...extra },
  });

describe('importStatementFile: nothing doubled (CSV files)', () => {
  it('re-importing the same file, or the same rows with payee and memo swapped and the id column mapped, adds nothing', async () => {
    const file = files.file('jan.csv', STATEMENT);
    const first = await csv(file, {
      date: 'Date',
      amount: 'Amount',
      payee: 'Description',
      memo: 'Memo',
    });
    expect(first).toMatchObject({ rows: 5, created: 5, skippedAsImported: 0, flaggedForReview: 0 });
    const before = writeCounts(temp.vault);
    const again = await csv(file, {
      date: 'Date',
      amount: 'Amount',
      payee: 'Description',
      memo: 'Memo',
    });
    expect(again).toMatchObject({ created: 0, skippedAsImported: 5 });
    const swapped = await csv(file, {
      date: 'Date',
      amount: 'Amount',
      payee: 'Memo',
      memo: 'Description',
      id: 'Ref',
    });
    expect(swapped).toMatchObject({ created: 0, skippedAsImported: 5, flaggedForReview: 0 });
    // The outbox differs by the profile's new mapping; the ledger not at all.
    const { outbox: _o, record_clocks: _r, ...ledger } = writeCounts(temp.vault);
    expect(ledger).toEqual({ ...before, outbox: undefined, record_clocks: undefined });
    expect(list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName, t.notes])).toEqual([
      ['2025-01-02', -450, 'BLUE BOTTLE COFFEE', 'Card 1234\nRef: R-1'],
      ['2025-01-05', 300_000, 'ACME PAYROLL', 'Salary\nRef: R-2'],
      ['2025-01-09', -8_217, 'CITY WATER', 'Acct 778\nRef: R-3'],
      ['2025-01-20', -185_000, 'RENT', 'January\nRef: R-4'],
      ['2025-01-20', -185_000, 'RENT', 'January\nRef: R-5'],
    ]);
  });

  it('reports the columns used and the settings with their source and flag', async () => {
    const file = files.file('jan.csv', STATEMENT);
    const result = await csv(file, { date: 'Date', amount: 'Amount', payee: 'Description' });
    expect(result.columns).toEqual([
      { column: 'Date', field: 'date' },
      { column: 'Amount', field: 'amount' },
      { column: 'Description', field: 'payee' },
      { column: 'Memo', field: 'notes' },
      { column: 'Ref', field: 'notes' },
    ]);
    expect(result.settings).toContainEqual(
      expect.objectContaining({
        name: 'date format',
        value: 'YYYY-MM-DD',
        source: 'detected',
        flag: '--date-format',
      }),
    );
    expect(result.settings).toContainEqual(
      expect.objectContaining({ name: 'mapping', source: 'flag', flag: '--map' }),
    );
  });
});

describe('importStatementFile: profiles', () => {
  const UK = [
    'Date,Description,Money Out,Money In',
    '03/01/2024,TESCO,23.40,',
    '04/01/2024,RENT,500.00,',
    '',
  ];

  it('a confirmed import saves the reading for the header; the next file with that header needs no flags, and a flag still wins', async () => {
    const mapping = { date: 'Date', payee: 'Description', debit: 'Money Out', credit: 'Money In' };
    const options = (file: string, readerOptions: Record<string, unknown>) => ({
      file,
      format: 'csv' as const,
      account: 'Current',
      readerOptions,
    });
    const jan = files.file('jan.csv', UK.join('\n'));
    const dry = await importStatementFile(temp.vault, {
      ...options(jan, { mapping, dateFormat: 'DD/MM/YYYY' }),
      dryRun: true,
    });
    expect(dry.profile).toBeNull();
    expect(new ImportProfileService(temp.vault).list()).toEqual([]);

    const first = await importStatementFile(
      temp.vault,
      options(jan, { mapping, dateFormat: 'DD/MM/YYYY' }),
    );
    expect(first.profile?.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(list('Current').map((t) => t.date)).toEqual(['2024-01-03', '2024-01-04']);

    const feb = files.file(
      'feb.csv',
      [UK[0], '03/02/2024,TESCO,12.00,', '05/02/2024,SHOP,1.00,', ''].join('\n'),
    );
    const second = await importStatementFile(temp.vault, options(feb, {}));
    expect(second.created).toBe(2);
    expect(second.profile?.signature).toBe(first.profile?.signature);
    expect(second.settings).toContainEqual(
      expect.objectContaining({
        name: 'date format',
        value: 'DD/MM/YYYY',
        source: 'profile',
        flag: '--date-format',
      }),
    );
    expect(list('Current').map((t) => [t.date, t.amountMinor])).toEqual([
      ['2024-01-03', -2_340],
      ['2024-01-04', -50_000],
      ['2024-02-03', -1_200],
      ['2024-02-05', -100],
    ]);

    const mar = files.file('mar.csv', [UK[0], '02/03/2024,TESCO,7.00,', ''].join('\n'));
    const flagged = await importStatementFile(
      temp.vault,
      options(mar, { dateFormat: 'MM/DD/YYYY' }),
    );
    expect(flagged.settings).toContainEqual(
      expect.objectContaining({ name: 'date format', value: 'MM/DD/YYYY', source: 'flag' }),
    );
    expect(
      list('Current')
        .filter((t) => t.amountMinor === -700)
        .map((t) => t.date),
    ).toEqual(['2024-02-03']);
  });
});

/** A reader over a JSON file: { statements: [{ bankAccountId, rows: RowSpec[] }] }. */
const jsonReaders: StatementReaders = {
  ofx: (input) => {
    const doc = JSON.parse(input.bytes().toString('utf8')) as {
      statements: { bankAccountId: string | null; rows: RowSpec[]; fail?: boolean }[];
    };
    return {
      format: 'ofx',
      statements: doc.statements.map((s) =>
        statement(s.rows, { bankAccountId: s.bankAccountId, failAtEnd: s.fail === true }),
      ),
      columns: [],
      settings: [],
      warnings: ['the file says nothing about its currency'],
    };
  },
};

describe('importStatementFile: files with several statements', () => {
  const rowsA: RowSpec[] = [{ date: '2025-02-01', amountMinor: -100, payee: 'A1' }];
  const rowsB: RowSpec[] = [
    { date: '2025-02-02', amountMinor: -200, payee: 'B1' },
    { date: '2025-02-03', amountMinor: -300, payee: 'B2' },
  ];
  const twoAccounts = (fail = false) =>
    files.file(
      'two.json',
      JSON.stringify({
        statements: [
          { bankAccountId: 'ACCT-A', rows: rowsA },
          { bankAccountId: 'ACCT-B', rows: rowsB, fail },
        ],
      }),
    );
  const run = (file: string, extra: object = {}) =>
    importStatementFile(temp.vault, { file, format: 'ofx', ...extra }, { readers: jsonReaders });

  it('unknown bank ids are refused, naming them and what to run; choosing one statement remembers it; then each goes to its account', async () => {
    const file = twoAccounts();
    const before = writeCounts(temp.vault);
    const unknown = await expectCofferError(run(file));
    expect(unknown.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(unknown.message).toMatch(/ACCT-A, ACCT-B.*--account NAME --statement-account ID/);
    expect(unknown.details).toMatchObject({ bankAccountIds: ['ACCT-A', 'ACCT-B'] });
    const ambiguous = await expectCofferError(run(file, { account: 'Checking' }));
    expect(ambiguous.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
    expect(ambiguous.message).toMatch(/--statement-account/);
    expect(writeCounts(temp.vault)).toEqual(before);

    const justA = await run(file, { account: 'Checking', statementAccount: 'ACCT-A' });
    expect(justA).toMatchObject({ created: 1, remembered: [{ bankAccountId: 'ACCT-A' }] });
    const stillUnknown = await expectCofferError(run(file));
    expect(stillUnknown.message).toMatch(/bank account\(s\) ACCT-B:/);
    await run(file, { account: 'Savings', statementAccount: 'ACCT-B' });

    const all = await run(twoAccounts());
    expect(
      all.statements.map((s) => [s.bankAccountId, s.accountName, s.created, s.skippedAsImported]),
    ).toEqual([
      ['ACCT-A', 'Checking', 0, 1],
      ['ACCT-B', 'Savings', 0, 2],
    ]);
    expect(all.warnings).toEqual(['the file says nothing about its currency']);
    expect(list('Checking').map((t) => t.payeeName)).toEqual(['A1']);
    expect(list('Savings').map((t) => t.payeeName)).toEqual(['B1', 'B2']);

    const wrong = await expectCofferError(
      run(file, { account: 'Checking', statementAccount: 'ACCT-B' }),
    );
    expect(wrong.code).toBe('CONFLICT');
    const missing = await expectCofferError(
      run(file, { account: 'Checking', statementAccount: 'ACCT-Z' }),
    );
    expect(missing.code).toBe('IMPORT_ACCOUNT_UNKNOWN');
  });

  it('all statements are one transaction: an error in the second writes nothing of the first', async () => {
    const bankIds = new AccountBankIdService(temp.vault);
    bankIds.remember('Checking', 'ACCT-A');
    bankIds.remember('Savings', 'ACCT-B');
    const before = writeCounts(temp.vault);
    const err = await expectCofferError(run(twoAccounts(true)));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('an OFX statement imported with --account remembers its ACCTID, so the next import needs no account', async () => {
    const file = fixturePath('ofx1-checking.ofx');
    const first = await importStatementFile(temp.vault, {
      file,
      format: 'ofx',
      account: 'Savings',
    });
    expect(first.remembered).toEqual([
      { bankAccountId: '000123456789', accountId: expect.any(String) as string },
    ]);
    const again = await importStatementFile(temp.vault, { file, format: 'ofx' });
    expect(again.statements[0]).toMatchObject({ accountName: 'Savings', created: 0 });
    expect(again.skippedAsImported).toBe(first.created);
    expect(list('Savings').every((t) => t.importId?.startsWith('fitid:'))).toBe(true);
  });

  it('refuses a format without a reader', async () => {
    const err = await expectCofferError(
      importStatementFile(
        temp.vault,
        {
          file: fixturePath('us-checking.csv'),
          format: 'mt940',
          account: 'Checking',
        },
        { readers: {} },
      ),
    );
    expect(err.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
  });
});

describe('previewStatementFile', () => {
  it('writes nothing, and its rows are exactly what the import then stores', async () => {
    new CategoryService(temp.vault).create({ name: 'Groceries' });
    const typed = new TransactionService(temp.vault).create({
      accountId: 'Checking',
      date: '2025-01-08',
      amountMinor: -8_217,
      payeeName: 'Water bill',
    });
    const text = [
      'Date,Amount,Description,Memo,Category',
      '2025-01-02,-4.50,BLUE BOTTLE COFFEE,Card 1234,Groceries',
      '2025-01-09,-82.17,CITY WATER,Acct 778,Utilities',
      '2025-01-20,-1850.00,RENT,January,',
      '',
    ].join('\n');
    const file = files.file('jan.csv', text);
    const options = {
      file,
      format: 'csv' as const,
      account: 'Checking',
      createCategories: true,
      readerOptions: {
        mapping: {
          date: 'Date',
          amount: 'Amount',
          payee: 'Description',
          memo: 'Memo',
          category: 'Category',
        },
      },
    };
    const before = writeCounts(temp.vault);
    const preview = await previewStatementFile(temp.vault, options);
    expect(writeCounts(temp.vault)).toEqual(before);
    expect(new CategoryService(temp.vault).list().map((c) => c.name)).toEqual(['Groceries']);
    expect(preview).toMatchObject({
      dryRun: true,
      created: 3,
      flaggedForReview: 1,
      categoriesCreated: ['Utilities'],
    });
    expect(preview.firstRows.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'new'],
      [3, 'flagged'],
      [4, 'new'],
    ]);
    expect(preview.firstRows[1]?.review).toMatchObject({ relatedTransactionId: typed.id });

    const imported = await importStatementFile(temp.vault, options);
    expect(imported).toMatchObject({ created: 3, flaggedForReview: 1 });
    const names = new Map(new CategoryService(temp.vault).list().map((c) => [c.id, c.name]));
    const stored = list('Checking')
      .filter((t) => t.id !== typed.id)
      .map((t) => ({
        date: t.date,
        amountMinor: t.amountMinor,
        currency: t.currency,
        payee: t.payeeName,
        category: t.categoryId === null ? null : (names.get(t.categoryId) ?? '?'),
        notes: t.notes,
        importId: t.importId,
        importKey: t.importKey,
      }));
    expect(
      preview.firstRows.map(({ line: _l, outcome: _o, review: _r, splits: _s, ...row }) => row),
    ).toEqual(stored);

    const again = await previewStatementFile(temp.vault, options);
    expect(again).toMatchObject({ created: 0, skippedAsImported: 3 });
    expect(again.firstRows.every((r) => r.outcome === 'already_imported')).toBe(true);
    expect(again.alreadyImported.map((r) => r.line)).toEqual([2, 3, 4]);
  });
});

describe('importStatementFile: CSV reader flags', () => {
  it('a header further down, money out written positive, and decimal commas', async () => {
    const file = files.file(
      'card.csv',
      [
        'Card statement',
        'Holder: A. Example',
        'Date;Merchant;Amount',
        '2025-03-01;BAKERY;4,50',
        '2025-03-02;REFUND SHOP;-10,00',
        '',
      ].join('\n'),
    );
    const result = await importStatementFile(temp.vault, {
      file,
      format: 'csv',
      account: 'Checking',
      readerOptions: {
        headerLine: 3,
        sign: 'negate',
        decimalSeparator: ',',
        mapping: { date: 'Date', amount: 'Amount', payee: 'Merchant' },
      },
    });
    expect(result.created).toBe(2);
    expect(result.profile?.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(result.settings).toContainEqual(
      expect.objectContaining({
        name: 'sign rule',
        value: 'negate',
        source: 'flag',
        flag: '--sign',
      }),
    );
    expect(list('Checking').map((t) => [t.date, t.amountMinor, t.payeeName])).toEqual([
      ['2025-03-01', -450, 'BAKERY'],
      ['2025-03-02', 1_000, 'REFUND SHOP'],
    ]);

    const bad = files.file(
      'bad.csv',
      ['Preamble', 'Date,Amount', '2025-03-01,1.00', 'nope,2.00', ''].join('\n'),
    );
    const err = await expectCofferError(
      importStatementFile(temp.vault, {
        file: bad,
        format: 'csv',
        account: 'Checking',
        readerOptions: { headerLine: 2, mapping: { date: 'Date', amount: 'Amount' } },
      }),
    );
    expect(err.message).toMatch(/^line 4: /);
    expect(err.details).toMatchObject({ line: 4 });
  });
});

describe('importStatementFile: progress while it runs', () => {
  const bigStatement = (rows: number): string => {
    const lines = ['Date,Amount,Description'];
    for (let i = 0; i < rows; i += 1) {
      const day = String((i % 28) + 1).padStart(2, '0');
      lines.push(`2025-03-${day},-${(i % 900) + 1}.${String(i % 100).padStart(2, '0')},SHOP ${i}`);
    }
    return `${lines.join('\n')}\n`;
  };

  it('reports rows read and written after each chunk, before it completes, and other code runs in between', async () => {
    const file = files.file('big.csv', bigStatement(4_500));
    const events: { read: number; written: number; settled: boolean }[] = [];
    const seenMidway: number[] = [];
    let settled = false;
    let latest = 0;
    const running = importStatementFile(
      temp.vault,
      { file, format: 'csv', account: 'Checking' },
      {
        onProgress: ({ read, written }) => {
          events.push({ read, written, settled });
          latest = written;
        },
      },
    ).finally(() => {
      settled = true;
    });
    // Another task on the same event loop (as a window's socket is) sees the count move
    // while the import runs: a writer that ran to the end in one go would show it one value.
    while (!settled) {
      if (latest > 0) seenMidway.push(latest);
      await setImmediate();
    }
    const result = await running;

    expect(result.created).toBe(4_500);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.every((e) => !e.settled)).toBe(true);
    const written = events.map((e) => e.written);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(new Set(written).size).toBe(written.length);
    expect(written.at(-1)).toBeLessThan(4_500);
    expect(events.every((e) => e.read >= e.written)).toBe(true);
    expect(new Set(seenMidway).size).toBeGreaterThanOrEqual(3);
    expect(seenMidway.every((n) => n < 4_500)).toBe(true);
  });

  it('a dry run reports progress too and still writes nothing', async () => {
    const file = files.file('big.csv', bigStatement(2_500));
    const before = writeCounts(temp.vault);
    const indexesBefore = indexNames(temp.vault);
    const written: number[] = [];
    const result = await importStatementFile(
      temp.vault,
      { file, format: 'csv', account: 'Checking', dryRun: true },
      { onProgress: (p) => written.push(p.written) },
    );
    expect(result).toMatchObject({ dryRun: true, created: 2_500 });
    expect(written).toEqual([1_000, 2_000]);
    expect(writeCounts(temp.vault)).toEqual(before);
    // The indexes it set aside (its rows fill a new account) are back from the rollback.
    expect(indexNames(temp.vault)).toEqual(indexesBefore);
    const again = await importStatementFile(temp.vault, {
      file,
      format: 'csv',
      account: 'Checking',
    });
    expect(again.created).toBe(2_500);
  });
});

describe('importStatementFile: the write', () => {
  const journal = (): string => String(temp.vault.db.pragma('journal_mode', { simple: true }));

  it('writes under a rollback journal and leaves the vault in WAL, imported or refused', async () => {
    const file = files.file('jan.csv', STATEMENT);
    const seen: string[] = [];
    const imported = await importStatementFile(
      temp.vault,
      {
        file,
        format: 'csv',
        account: 'Checking',
        readerOptions: { mapping: { date: 'Date', amount: 'Amount', payee: 'Description' } },
      },
      { onRow: () => seen.push(journal()) },
    );
    expect(imported.created).toBe(5);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['delete']));
    expect(journal()).toBe('wal');

    const before = writeCounts(temp.vault);
    const broken = files.file('broken.csv', `${STATEMENT}2025-02-30,-1.00,BAD DATE,,R-9\n`);
    await expectCofferError(csv(broken, { date: 'Date', amount: 'Amount', payee: 'Description' }));
    expect(writeCounts(temp.vault)).toEqual(before);
    expect(journal()).toBe('wal');
  });

  it('a dry run stays in WAL throughout', async () => {
    const file = files.file('jan.csv', STATEMENT);
    const seen: string[] = [];
    await importStatementFile(
      temp.vault,
      {
        file,
        format: 'csv',
        account: 'Checking',
        dryRun: true,
        readerOptions: { mapping: { date: 'Date', amount: 'Amount', payee: 'Description' } },
      },
      { onRow: () => seen.push(journal()) },
    );
    expect(new Set(seen)).toEqual(new Set(['wal']));
  });
});
