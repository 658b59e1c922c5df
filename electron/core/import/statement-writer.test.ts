import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/domain/ledger.schema.js';
import { AccountService } from '../ledger/account.service.js';
import { CategoryService } from '../ledger/category.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import type { PayeeRuleMatcher } from '../rules/payee-rule-matcher.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { expectCofferError, writeCounts } from './testing/import-test-helpers.js';
import { MAX_NOTES } from './statement-notes.js';
import { statement, statementFile, type RowSpec } from '../testing/statement-test-kit.js';
import { writeStatements, type WriteStatementsOptions } from './statement-writer.js';
import { TransactionReviewService } from './transaction-review.service.js';
import type { ParsedStatement } from './statement.js';

let temp: TempVault;
let checking: Account;

beforeEach(async () => {
  temp = await createTempVault();
  checking = new AccountService(temp.vault).create({ name: 'Checking', currency: 'USD' });
});
afterEach(() => temp.cleanup());

const stored = () =>
  new TransactionService(temp.vault)
    .list({ accountId: checking.id, limit: 10_000 })
    .sort((a, b) => a.date.localeCompare(b.date) || a.amountMinor - b.amountMinor);

function write(
  st: ParsedStatement,
  options: Partial<WriteStatementsOptions> & { sha?: string } = {},
) {
  return writeStatements(temp.vault, [{ statement: st, account: checking }], {
    file: statementFile([st]),
    fileSha256: options.sha ?? 'a'.repeat(64),
    createCategories: false,
    ...options,
  });
}

const JANUARY: RowSpec[] = [
  { date: '2025-01-02', amountMinor: -450, payee: 'BLUE BOTTLE COFFEE', memo: 'Card 1234' },
  { date: '2025-01-05', amountMinor: 300_000, payee: 'ACME PAYROLL', memo: 'Salary Jan' },
  { date: '2025-01-09', amountMinor: -8_217, payee: 'CITY WATER', memo: 'Acct 778' },
  { date: '2025-01-20', amountMinor: -185_000, payee: 'RENT', memo: 'January', externalId: null },
  { date: '2025-01-31', amountMinor: -12_000, payee: 'CHECK 1042', memo: null },
];

describe('writeStatements: nothing doubled', () => {
  it('re-importing the same rows adds nothing', () => {
    const first = write(statement(JANUARY));
    expect(first).toMatchObject({ rows: 5, created: 5, skippedAsImported: 0, flaggedForReview: 0 });
    const before = writeCounts(temp.vault);
    const again = write(statement(JANUARY));
    expect(again).toMatchObject({ rows: 5, created: 0, skippedAsImported: 5, flaggedForReview: 0 });
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it('a first import into a new account sets its indexes aside and ends with them whole, so the next import finds every row', () => {
    const indexes = (): unknown[] =>
      [
        'transactions_import_key',
        'transactions_account_date',
        'transactions_date',
        'transactions_category',
      ].map((name) =>
        temp.vault.db
          .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`)
          .pluck()
          .get(name),
      );
    const before = indexes();
    expect(before).not.toContain(undefined);
    // An account that held no row: nothing is read through them while its rows go in.
    const during: unknown[][] = [];
    write(statement(JANUARY), { onRow: () => during.push(indexes()) });
    expect(during[0]).toEqual([undefined, undefined, undefined, undefined]);
    expect(indexes()).toEqual(before);
    expect(write(statement(JANUARY))).toMatchObject({ created: 0, skippedAsImported: 5 });
  });

  it('a statement into an account that holds rows is still reviewed against them when the file also fills a new one', () => {
    const savings = new AccountService(temp.vault).create({ name: 'Savings', currency: 'USD' });
    const listIndex = (): unknown =>
      temp.vault.db
        .prepare(`SELECT sql FROM sqlite_master WHERE name = 'transactions_account_date'`)
        .pluck()
        .get();
    const checkingRows: unknown[] = [];
    // Typed by hand into Checking: the imported row beside it is flagged, not dropped.
    new TransactionService(temp.vault).create({
      accountId: checking.id,
      date: '2025-01-03',
      amountMinor: -450,
      payeeName: 'Coffee',
    });
    const result = writeStatements(
      temp.vault,
      [
        { statement: statement(JANUARY), account: savings },
        { statement: statement(JANUARY.slice(0, 1)), account: checking },
      ],
      {
        file: statementFile([statement(JANUARY)]),
        fileSha256: 'b'.repeat(64),
        createCategories: false,
        onRow: (row) => {
          if (row.statementIndex === 1) checkingRows.push(listIndex());
        },
      },
    );
    // Reviewed through the account's date index, made again before Checking's rows went in.
    expect(checkingRows).toHaveLength(1);
    expect(checkingRows[0]).toBeDefined();
    expect(result).toMatchObject({ created: 6, flaggedForReview: 1 });
    expect(result.flagged[0]?.detail).toContain('entered by hand');
  });

  it('the same rows read with payee and memo swapped, and an id column mapped only the second time, add nothing', () => {
    write(statement(JANUARY));
    const swapped = JANUARY.map((r, i) => ({
      ...r,
      payee: r.memo ?? null,
      memo: r.payee ?? null,
      externalId: `TX-${1000 + i}`,
    }));
    const again = write(statement(swapped), { sha: 'b'.repeat(64) });
    expect(again).toMatchObject({ created: 0, skippedAsImported: 5, flaggedForReview: 0 });
    expect(stored()).toHaveLength(5);
  });

  it('an id column mapped the first time but not the second still matches by content', () => {
    write(statement(JANUARY.map((r, i) => ({ ...r, externalId: `TX-${i}` }))));
    expect(
      stored().every((t) => t.importId?.startsWith('id:TX-') && t.importKey?.startsWith('k:')),
    ).toBe(true);
    const again = write(statement(JANUARY), { sha: 'b'.repeat(64) });
    expect(again).toMatchObject({ created: 0, skippedAsImported: 5 });
  });

  it('a second file overlapping the first by 3 rows adds only the new ones', () => {
    write(statement(JANUARY));
    const february: RowSpec[] = [
      ...JANUARY.slice(2),
      { date: '2025-02-03', amountMinor: -999, payee: 'BOOKSHOP', memo: null },
      { date: '2025-02-14', amountMinor: -5_000, payee: 'FLORIST', memo: null },
    ];
    const second = write(statement(february), { sha: 'c'.repeat(64) });
    expect(second).toMatchObject({
      rows: 5,
      created: 2,
      skippedAsImported: 3,
      flaggedForReview: 0,
    });
    expect(stored().map((t) => t.payeeName)).toEqual([
      'BLUE BOTTLE COFFEE',
      'ACME PAYROLL',
      'CITY WATER',
      'RENT',
      'CHECK 1042',
      'BOOKSHOP',
      'FLORIST',
    ]);
  });

  it('two identical real rows of one file both import, are not flagged, and a re-import adds neither', () => {
    const coffees: RowSpec[] = [
      { date: '2025-03-01', amountMinor: -450, payee: 'COFFEE', memo: null },
      { date: '2025-03-01', amountMinor: -450, payee: 'COFFEE', memo: null },
    ];
    expect(write(statement(coffees))).toMatchObject({ created: 2, flaggedForReview: 0 });
    const keys = stored().map((t) => t.importKey);
    expect(new Set(keys).size).toBe(2);
    expect(write(statement(coffees), { sha: 'd'.repeat(64) })).toMatchObject({
      created: 0,
      skippedAsImported: 2,
      flaggedForReview: 0,
    });
    expect(stored()).toHaveLength(2);
  });

  it('two statements of one file into one account: the rows the second repeats are skipped, in a new account too', () => {
    const savings = new AccountService(temp.vault).create({ name: 'Savings', currency: 'USD' });
    const both = (account: Account) => {
      const first = statement(JANUARY);
      const second = statement([...JANUARY.slice(3), ...JANUARY.slice(0, 2)]);
      return writeStatements(
        temp.vault,
        [
          { statement: first, account },
          { statement: second, account },
        ],
        {
          file: statementFile([first, second]),
          fileSha256: 'e'.repeat(64),
          createCategories: false,
        },
      );
    };
    // Checking already holds content keys from an earlier file; Savings holds none.
    write(statement(JANUARY.slice(0, 1)));
    for (const account of [checking, savings]) {
      const summary = both(account);
      expect(summary.statements.map((s) => [s.created, s.skippedAsImported])).toEqual(
        account === checking
          ? [
              [4, 1],
              [0, 4],
            ]
          : [
              [5, 0],
              [0, 4],
            ],
      );
    }
  });
});

describe('writeStatements: possible duplicates are written and flagged', () => {
  it('a hand-typed transaction matching an imported row: the row is written and flagged for review', () => {
    const txs = new TransactionService(temp.vault);
    const typed = txs.create({
      accountId: checking.id,
      date: '2025-01-07',
      amountMinor: -8_217,
      payeeName: 'Water bill',
    });
    const summary = write(statement(JANUARY));
    expect(summary).toMatchObject({ created: 5, flaggedForReview: 1 });
    const imported = stored().find((t) => t.importKey !== null && t.amountMinor === -8_217);
    expect(summary.flagged).toEqual([
      {
        line: 4,
        transactionId: imported?.id,
        relatedTransactionId: typed.id,
        detail: expect.stringMatching(/2025-01-07.*"Water bill".*entered by hand/) as string,
      },
    ]);
    const reviews = new TransactionReviewService(temp.vault);
    expect(reviews.openCount()).toBe(1);
    expect(reviews.listOpen()[0]).toMatchObject({
      transactionId: imported?.id,
      relatedTransactionId: typed.id,
      reason: 'possible_duplicate',
      resolution: null,
    });
  });

  it('rows from another file with a different description are flagged, each existing row partnering one at most', () => {
    write(statement([{ date: '2025-04-10', amountMinor: -2_000, payee: 'TAXI 1', memo: null }]));
    const other = write(
      statement([
        { date: '2025-04-12', amountMinor: -2_000, payee: 'UBER TRIP', memo: null },
        { date: '2025-04-13', amountMinor: -2_000, payee: 'UBER TRIP 2', memo: null },
        { date: '2025-04-20', amountMinor: -2_000, payee: 'TOO LATE', memo: null },
      ]),
      { sha: 'e'.repeat(64) },
    );
    expect(other).toMatchObject({ created: 3, flaggedForReview: 1 });
    expect(other.flagged[0]?.detail).toMatch(/2025-04-10.*"TAXI 1".*batch csv:a{16}$/);
  });

  it("a partner from the same file is named as such, whether its label is today's or the whole hash rows carried before", () => {
    const sha = 'b'.repeat(64);
    new TransactionService(temp.vault).createMany(
      [{ accountId: checking.id, date: '2025-04-10', amountMinor: -2_000, payeeName: 'TAXI 1' }],
      { importBatch: `csv:${sha}` },
    );
    write(statement([{ date: '2025-05-10', amountMinor: -3_000, payee: 'BUS 1', memo: null }]), {
      sha,
    });
    const again = write(
      statement([
        { date: '2025-04-11', amountMinor: -2_000, payee: 'TAXI ONE', memo: null },
        { date: '2025-05-11', amountMinor: -3_000, payee: 'BUS ONE', memo: null },
      ]),
      { sha },
    );
    expect(again.importBatch).toBe('csv:bbbbbbbbbbbbbbbb');
    expect(again.flagged.map((f) => f.detail)).toEqual([
      expect.stringMatching(/"TAXI 1".*imported earlier from this file \(csv:b{64}\)$/),
      expect.stringMatching(/"BUS 1".*imported earlier from this file \(csv:b{16}\)$/),
    ]);
  });

  it('the ±3 day window reaches past the dates the account held: 3 days apart is flagged, 4 is not', () => {
    const txs = new TransactionService(temp.vault);
    txs.create({ accountId: checking.id, date: '2025-01-31', amountMinor: -700, payeeName: 'Gym' });
    txs.create({
      accountId: checking.id,
      date: '2025-01-31',
      amountMinor: -800,
      payeeName: 'Pool',
    });
    const summary = write(
      statement([
        { date: '2025-02-03', amountMinor: -700, payee: 'GYM MEMBERSHIP' },
        { date: '2025-02-04', amountMinor: -800, payee: 'POOL' },
      ]),
    );
    expect(summary).toMatchObject({ created: 2, flaggedForReview: 1 });
    expect(summary.flagged.map((f) => f.line)).toEqual([2]);
  });

  it('a deleted (tombstoned) transaction is no partner', () => {
    const txs = new TransactionService(temp.vault);
    const typed = txs.create({ accountId: checking.id, date: '2025-01-02', amountMinor: -450 });
    txs.delete(typed.id);
    expect(write(statement(JANUARY))).toMatchObject({ created: 5, flaggedForReview: 0 });
  });
});

describe('writeStatements: all or nothing', () => {
  it('a bad row at the end of a long file writes nothing, not even a category it created', () => {
    const before = writeCounts(temp.vault);
    const many: RowSpec[] = Array.from({ length: 1_203 }, (_, i) => ({
      date: '2025-05-01',
      amountMinor: -(i + 1),
      payee: `SHOP ${i}`,
      memo: null,
      category: i === 0 ? 'Brand New Category' : null,
    }));
    const err = (() => {
      try {
        write(statement(many, { failAtEnd: true }), { createCategories: true, chunkSize: 500 });
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('expected an error');
    })();
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 1205: /);
    expect(writeCounts(temp.vault)).toEqual(before);
    expect(new CategoryService(temp.vault).list().map((c) => c.name)).not.toContain(
      'Brand New Category',
    );
  });

  it('a row in another currency names its line and writes nothing', async () => {
    const before = writeCounts(temp.vault);
    const rows: RowSpec[] = [
      ...JANUARY,
      { date: '2025-01-31', amountMinor: -1, currency: 'EUR', line: 9 },
    ];
    const err = await expectCofferError(Promise.resolve().then(() => write(statement(rows))));
    expect(err.code).toBe('CURRENCY_MISMATCH');
    expect(err.message).toMatch(/^line 9: the row is in EUR/);
    expect(writeCounts(temp.vault)).toEqual(before);
  });

  it("a statement in another currency is refused; one without a currency takes the account's", async () => {
    const err = await expectCofferError(
      Promise.resolve().then(() => write(statement(JANUARY, { currency: 'GBP' }))),
    );
    expect(err.code).toBe('CURRENCY_MISMATCH');
    expect(write(statement(JANUARY, { currency: null }))).toMatchObject({ created: 5 });
    expect(stored().every((t) => t.currency === 'USD')).toBe(true);
  });
});

describe('writeStatements: nothing lost', () => {
  it('keeps the memo and every extra as "Label: value" lines in the notes', () => {
    write(
      statement([
        {
          date: '2025-06-01',
          amountMinor: -1_999,
          payee: 'HARDWARE STORE',
          memo: 'Paint',
          extras: [
            { label: 'Balance', value: '1,234.56' },
            { label: 'Reference', value: 'REF 42' },
            { label: 'Empty', value: '  ' },
          ],
        },
      ]),
    );
    expect(stored()[0]?.notes).toBe('Paint\nBalance: 1,234.56\nReference: REF 42');
  });

  it('a long extra survives up to the notes limit and the cut shows as "…"', () => {
    const long = 'x'.repeat(MAX_NOTES * 2);
    write(
      statement([
        {
          date: '2025-06-02',
          amountMinor: -1,
          memo: 'm',
          extras: [{ label: 'Details', value: long }],
        },
      ]),
    );
    const notes = stored()[0]?.notes ?? '';
    expect(notes).toHaveLength(MAX_NOTES);
    expect(notes.startsWith(`m\nDetails: ${'x'.repeat(100)}`)).toBe(true);
    expect(notes.endsWith('x…')).toBe(true);
    expect(notes.length - 'm\nDetails: '.length - 1).toBe(MAX_NOTES - 12);
  });

  it('resolves known categories, creates unknown ones when asked (kind by sign), else leaves them in the notes', () => {
    const groceries = new CategoryService(temp.vault).create({ name: 'Groceries' });
    const rows: RowSpec[] = [
      { date: '2025-07-01', amountMinor: -100, payee: 'A', category: 'groceries' },
      { date: '2025-07-02', amountMinor: 5_000, payee: 'B', category: 'Refunds' },
      { date: '2025-07-03', amountMinor: -200, payee: 'C', category: 'Hobbies' },
    ];
    const left = write(statement(rows));
    expect(left).toMatchObject({ categoriesCreated: [], categoriesLeft: ['Refunds', 'Hobbies'] });
    expect(stored().map((t) => [t.payeeName, t.categoryId, t.notes])).toEqual([
      ['A', groceries.id, ''],
      ['B', null, 'Category: Refunds'],
      ['C', null, 'Category: Hobbies'],
    ]);

    const checkingTwo = new AccountService(temp.vault).create({ name: 'Other', currency: 'USD' });
    const created = writeStatements(
      temp.vault,
      [{ statement: statement(rows), account: checkingTwo }],
      {
        file: statementFile([]),
        fileSha256: 'f'.repeat(64),
        createCategories: true,
      },
    );
    expect(created).toMatchObject({
      categoriesCreated: ['Refunds', 'Hobbies'],
      categoriesLeft: [],
    });
    const byName = new Map(new CategoryService(temp.vault).list().map((c) => [c.name, c]));
    expect(byName.get('Refunds')?.kind).toBe('income');
    expect(byName.get('Hobbies')?.kind).toBe('expense');
  });

  it("applies payee rules: rename, a rule's category wins over the file's, rows counted per rule", () => {
    const shopping = new CategoryService(temp.vault).create({ name: 'Shopping' });
    const matcher: PayeeRuleMatcher = {
      match: ({ payee }) =>
        payee?.includes('AMZN') === true
          ? {
              ruleId: 'rule-amazon',
              description: 'payee contains "AMZN" → Amazon, Shopping',
              renameTo: 'Amazon',
              categoryId: shopping.id,
            }
          : null,
    };
    const summary = write(
      statement([
        { date: '2025-08-01', amountMinor: -1_000, payee: 'AMZN MKTP US*123', category: 'Books' },
        { date: '2025-08-02', amountMinor: -2_000, payee: 'AMZN DIGITAL', category: null },
        { date: '2025-08-03', amountMinor: -3_000, payee: 'CORNER SHOP', category: null },
      ]),
      { matcher },
    );
    expect(summary.rulesApplied).toEqual([
      { ruleId: 'rule-amazon', description: 'payee contains "AMZN" → Amazon, Shopping', rows: 2 },
    ]);
    expect(summary.categoriesLeft).toEqual([]);
    expect(stored().map((t) => [t.payeeName, t.categoryId])).toEqual([
      ['Amazon', shopping.id],
      ['Amazon', shopping.id],
      ['CORNER SHOP', null],
    ]);
  });

  it('keeps splits as transaction splits, resolving their categories', () => {
    const rent = new CategoryService(temp.vault).create({ name: 'Rent' });
    write(
      statement([
        {
          date: '2025-09-01',
          amountMinor: -3_000,
          payee: 'LANDLORD',
          category: 'Ignored when split',
          splits: [
            { category: 'Rent', amountMinor: -2_500, memo: 'flat' },
            { category: 'Utilities', amountMinor: -500, memo: 'water' },
          ],
        },
      ]),
      { createCategories: true },
    );
    const utilities = new CategoryService(temp.vault).resolveCategory('Utilities');
    expect(stored()[0]?.splits).toEqual([
      { categoryId: rent.id, amountMinor: -2_500, memo: 'flat' },
      { categoryId: utilities.id, amountMinor: -500, memo: 'water' },
    ]);
    expect(stored()[0]?.categoryId).toBeNull();
  });

  it('splits whose category is unknown and not created are kept in the notes instead', () => {
    new CategoryService(temp.vault).create({ name: 'Rent' });
    const summary = write(
      statement([
        {
          date: '2025-09-02',
          amountMinor: -3_000,
          payee: 'LANDLORD',
          memo: 'September',
          splits: [
            { category: 'Rent', amountMinor: -2_500, memo: 'flat' },
            { category: 'Parking', amountMinor: -500, memo: '' },
          ],
        },
      ]),
    );
    expect(summary.categoriesLeft).toEqual(['Parking']);
    expect(stored()[0]).toMatchObject({
      splits: [],
      categoryId: null,
      notes: 'September\nSplit: Rent -25.00 flat\nSplit: Parking -5.00',
    });
  });

  it('counts and lists skipped lines by reason', () => {
    const summary = write(
      statement(JANUARY.slice(0, 1), {
        skips: [
          { kind: 'skip', skip: { line: 3, reason: 'pending', text: 'PENDING 4.50' } },
          { kind: 'skip', skip: { line: 9, reason: 'summary', text: 'Total,-4.50' } },
          { kind: 'skip', skip: { line: 10, reason: 'pending', text: 'PENDING 1.00' } },
        ],
      }),
    );
    expect(summary.skippedLines).toEqual({
      total: 3,
      byReason: { pending: 2, summary: 1 },
      lines: [
        { line: 3, reason: 'pending', text: 'PENDING 4.50' },
        { line: 9, reason: 'summary', text: 'Total,-4.50' },
        { line: 10, reason: 'pending', text: 'PENDING 1.00' },
      ],
    });
  });
});
