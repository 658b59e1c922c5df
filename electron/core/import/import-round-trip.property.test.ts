import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { exportTransactionsCsv } from '../export/transactions-csv.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { importStatementFile } from './import-statement-file.js';
import { tempDir } from './testing/import-test-helpers.js';
import { importStateCounts } from './testing/import-state.js';
import { BANK_DIALECTS, type BankDialect } from './testing/bank-dialects.js';
import { STATEMENT_FILE_WRITERS } from './testing/statement-file-writers.js';
import {
  everyDayFitsAMonth,
  expectedRows,
  freshAccount,
  memoOnly,
  storedRows,
  transactionSets,
} from './testing/round-trip-kit.js';

let temp: TempVault;
let files: ReturnType<typeof tempDir>;
let fileNo = 0;
/** Sets the import refused as ambiguous, per dialect: the refusal path must be exercised. */
const refused = new Map<string, number>();

beforeAll(() => {
  files = tempDir();
});
afterAll(() => {
  files.cleanup();
});
// A vault per property: every run's checks read whole tables (what an import may have
// written), and in one vault shared by the whole file those tables grow with each run.
beforeEach(async () => {
  temp = await createTempVault();
});
afterEach(() => {
  temp.cleanup();
});

const RUNS = { seed: 7_2026, numRuns: 40 };

describe('import round trip through the vault (CSV dialects)', () => {
  it.each(BANK_DIALECTS.map((d) => [d.name, d] as const))(
    '%s: any statement imports as written, and again adds nothing',
    async (_name, dialect: BankDialect) => {
      await fc.assert(
        fc.asyncProperty(transactionSets, async (set) => {
          const rows = [...set, ...(dialect.extraRows ?? [])];
          const accountId = freshAccount(temp.vault, dialect.currency, dialect.accountKind);
          const file = files.file(`s${++fileNo}.csv`, dialect.write(rows));
          const run = (readerOptions: Record<string, unknown> = {}) =>
            importStatementFile(temp.vault, {
              file,
              format: 'csv',
              account: accountId,
              readerOptions,
            });
          const before = importStateCounts(temp.vault);
          let first;
          try {
            first = await run();
          } catch (err) {
            if (!isCofferError(err) || err.code !== 'IMPORT_NEEDS_CHOICE') throw err;
            // Only a set whose days all fit a month may be refused, and then for the date order.
            expect(everyDayFitsAMonth(rows)).toBe(true);
            expect(err.details).toMatchObject({ setting: 'date format', flag: '--date-format' });
            expect(importStateCounts(temp.vault)).toEqual(before);
            refused.set(dialect.name, (refused.get(dialect.name) ?? 0) + 1);
            first = await run({ dateFormat: dialect.dateFormat });
          }
          expect(first).toMatchObject({ rows: rows.length, created: rows.length });
          expect(memoOnly(storedRows(temp.vault, accountId), dialect.memoLabel)).toEqual(
            expectedRows(dialect.noMemo ? rows.map((r) => ({ ...r, memo: '' })) : rows),
          );
          const counts = importStateCounts(temp.vault);
          const again = await run({ dateFormat: dialect.dateFormat });
          expect(again).toMatchObject({ created: 0, skippedAsImported: rows.length });
          expect(importStateCounts(temp.vault)).toEqual(counts);
        }),
        RUNS,
      );
    },
  );

  it('refused the sets whose dates cannot be read without the flag, in the day/month dialects', () => {
    for (const dialect of BANK_DIALECTS) {
      if (!/^(DD|MM)\//.test(dialect.dateFormat)) continue;
      expect(refused.get(dialect.name) ?? 0, dialect.name).toBeGreaterThan(0);
    }
  });
});

describe("import round trip of Coffer's own CSV export", () => {
  it('an account exported and imported into a new account gives the same rows, and again adds nothing', async () => {
    await fc.assert(
      fc.asyncProperty(transactionSets, async (rows) => {
        const source = freshAccount(temp.vault, 'EUR', 'checking');
        const transactions = new TransactionService(temp.vault);
        for (const r of rows) {
          transactions.create({
            accountId: source,
            date: r.date,
            amountMinor: r.amountMinor,
            payeeName: r.payee,
            notes: r.memo,
          });
        }
        const file = `${files.dir}/export${++fileNo}.csv`;
        expect(exportTransactionsCsv(temp.vault, file, { account: source })).toEqual({
          rows: rows.length,
        });
        const target = freshAccount(temp.vault, 'EUR', 'checking');
        const run = () => importStatementFile(temp.vault, { file, format: 'csv', account: target });
        expect(await run()).toMatchObject({ rows: rows.length, created: rows.length });
        // The notes' first line is the memo; export columns the ledger has no field for may follow.
        expect(memoOnly(storedRows(temp.vault, target))).toEqual(storedRows(temp.vault, source));
        const counts = importStateCounts(temp.vault);
        expect(await run()).toMatchObject({ created: 0, skippedAsImported: rows.length });
        expect(importStateCounts(temp.vault)).toEqual(counts);
      }),
      RUNS,
    );
  });
});

describe('import round trip of QIF, OFX, CAMT.053 and MT940 files', () => {
  it.each(STATEMENT_FILE_WRITERS.map((w) => [w.name, w] as const))(
    '%s: any statement imports as written, and again adds nothing',
    async (_name, writer) => {
      await fc.assert(
        fc.asyncProperty(transactionSets, async (rows) => {
          const accountId = freshAccount(temp.vault, writer.currency, 'checking');
          const file = files.file(
            `s${++fileNo}.${writer.format}`,
            writer.write(rows, `RT${fileNo}`),
          );
          const run = (readerOptions: Record<string, unknown> = {}) =>
            importStatementFile(temp.vault, {
              file,
              format: writer.format,
              account: accountId,
              readerOptions,
            });
          const before = importStateCounts(temp.vault);
          let first;
          try {
            first = await run();
          } catch (err) {
            if (!isCofferError(err) || err.code !== 'IMPORT_NEEDS_CHOICE') throw err;
            expect(writer.dateChoice).toBeDefined();
            expect(everyDayFitsAMonth(rows)).toBe(true);
            expect(importStateCounts(temp.vault)).toEqual(before);
            refused.set(writer.name, (refused.get(writer.name) ?? 0) + 1);
            first = await run(writer.dateChoice);
          }
          expect(first).toMatchObject({ rows: rows.length, created: rows.length });
          expect(memoOnly(storedRows(temp.vault, accountId))).toEqual(expectedRows(rows));
          const counts = importStateCounts(temp.vault);
          const again = await run(writer.dateChoice);
          expect(again).toMatchObject({ created: 0, skippedAsImported: rows.length });
          expect(importStateCounts(temp.vault)).toEqual(counts);
        }),
        RUNS,
      );
    },
  );

  it('refused the QIF sets whose dates cannot be read without the flag', () => {
    for (const writer of STATEMENT_FILE_WRITERS) {
      if (writer.dateChoice === undefined) continue;
      expect(refused.get(writer.name) ?? 0, writer.name).toBeGreaterThan(0);
    }
  });
});
