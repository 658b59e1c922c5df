import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { STATEMENT_FORMATS } from '../../../shared/domain/import.schema.js';
import type { AccountKind } from '../../../shared/domain/ledger.schema.js';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { AccountService } from '../ledger/account.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { AccountBankIdService } from './account-bank-id.service.js';
import { importStatementFile } from './import-statement-file.js';
import { expectCofferError, fixturePath } from './testing/import-test-helpers.js';
import { importStateCounts } from './testing/import-state.js';

type StatementFormat = (typeof STATEMENT_FORMATS)[number];

interface CorpusAccount {
  currency: string;
  kind?: AccountKind;
  /** The bank's id of the statement: remembered on the account before the import. */
  bankId?: string;
}

interface CorpusFixture {
  file: string;
  format: StatementFormat;
  /** Data rows of the file: transactions a bookkeeper would enter (not pending, not totals). */
  rows: number;
  accounts: CorpusAccount[];
  /** When the file alone cannot settle a reading: the flag the refusal must name, and its value. */
  choice?: { flag: string; readerOptions: Record<string, unknown> };
  /** A statement that cannot be imported today, with the error it gives; counted as a failure. */
  notImported?: { code: string; line: number };
  /**
   * Rows in several currencies (one account each, in `accounts` order): refused whole at the
   * first row in another currency, naming `--only-currency`; then one import per currency.
   */
  perCurrency?: { line: number };
  /**
   * What the imported rows add up to in minor units, where the file's running balance says
   * it (last balance less the one before the first row): fees and skipped rows counted right.
   */
  balanceMoved?: number;
}

const one = (currency: string, kind: AccountKind = 'checking'): CorpusAccount[] => [
  { currency, kind },
];

// Every statement fixture, each into an account of its currency and kind. Rows were
// counted by reading the files, not by importing them.
const CORPUS: CorpusFixture[] = [
  { file: 'csv/au-commbank-headerless.csv', format: 'csv', rows: 3, accounts: one('AUD') },
  // "Narrative" is the description; debits and credits both written positive.
  {
    file: 'csv/au-westpac.csv',
    format: 'csv',
    rows: 3,
    accounts: one('AUD'),
    balanceMoved: 335815 - 100000,
  },
  // Amount columns named by currency and sign, "CAD$" and "USD$".
  { file: 'csv/ca-rbc-chequing.csv', format: 'csv', rows: 4, accounts: one('CAD') },
  { file: 'csv/ca-td-headerless.csv', format: 'csv', rows: 4, accounts: one('CAD') },
  { file: 'csv/ch-postfinance.csv', format: 'csv', rows: 3, accounts: one('CHF') },
  // Windows-1252, every cell quoted (decimal commas inside the quotes), new and old
  // balance around the table.
  {
    file: 'csv/de-comdirect.csv',
    format: 'csv',
    rows: 3,
    accounts: one('EUR'),
    balanceMoved: 339417 - 100000,
  },
  // One of four lines is "Vorgemerkt" (pending).
  { file: 'csv/de-dkb-2023.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  { file: 'csv/de-dkb-preamble.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  // One of four lines is "Umsatz vorgemerkt" (pending).
  // Windows-1252, a long preamble, newest first, "Buchung" as the date's header.
  {
    file: 'csv/de-ing-girokonto.csv',
    format: 'csv',
    rows: 3,
    accounts: one('EUR'),
    balanceMoved: 339417 - 100000,
  },
  { file: 'csv/de-sparkasse-camt.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  { file: 'csv/es-bank.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  // camelCase headers ("dateOp", "supplierFound"); a transfer names no supplier.
  {
    file: 'csv/fr-boursorama.csv',
    format: 'csv',
    rows: 3,
    accounts: one('EUR'),
    balanceMoved: 267660 - 100000,
  },
  // Windows-1252, a preamble with the balance, "Débit euros" and "Crédit euros".
  { file: 'csv/fr-credit-agricole.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  { file: 'csv/fr-debit-credit.csv', format: 'csv', rows: 4, accounts: one('EUR') },
  { file: 'csv/it-bank.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  { file: 'csv/mint.csv', format: 'csv', rows: 3, accounts: one('USD') },
  { file: 'csv/nl-ing.csv', format: 'csv', rows: 3, accounts: one('EUR') },
  // One pending, one reverted; two rows carry a fee the amount does not hold.
  {
    file: 'csv/revolut-gbp.csv',
    format: 'csv',
    rows: 5,
    accounts: one('GBP'),
    balanceMoved: 114515 - 100000,
  },
  // One pending, one cancelled.
  { file: 'csv/payoneer.csv', format: 'csv', rows: 2, accounts: one('USD') },
  // One pending.
  { file: 'csv/paypal.csv', format: 'csv', rows: 2, accounts: one('GBP') },
  // A balance in two currencies: one import per currency, each into its own account.
  {
    file: 'csv/stripe-balance.csv',
    format: 'csv',
    rows: 4,
    accounts: [{ currency: 'USD' }, { currency: 'JPY' }],
    perCurrency: { line: 5 },
  },
  {
    file: 'csv/uk-starling.csv',
    format: 'csv',
    rows: 3,
    accounts: one('GBP'),
    balanceMoved: 343540 - 100000,
  },
  { file: 'csv/uk-nationwide.csv', format: 'csv', rows: 3, accounts: one('GBP') },
  // A summary before the table, and a dated "Beginning balance" row with no amount.
  {
    file: 'csv/us-boa-checking.csv',
    format: 'csv',
    rows: 6,
    accounts: one('USD'),
    balanceMoved: 393737 - 125000,
  },
  { file: 'csv/us-amex-card.csv', format: 'csv', rows: 5, accounts: one('USD', 'credit_card') },
  { file: 'csv/us-chase-checking.csv', format: 'csv', rows: 5, accounts: one('USD') },
  {
    file: 'csv/us-discover-card.csv',
    format: 'csv',
    rows: 4,
    accounts: one('USD', 'credit_card'),
  },
  { file: 'csv/xero.csv', format: 'csv', rows: 3, accounts: one('GBP') },
  { file: 'de-girokonto.csv', format: 'csv', rows: 4, accounts: one('EUR') },
  { file: 'headerless.tsv', format: 'csv', rows: 3, accounts: one('USD') },
  { file: 'uk-current-account.csv', format: 'csv', rows: 5, accounts: one('GBP') },
  { file: 'us-checking.csv', format: 'csv', rows: 5, accounts: one('USD') },
  { file: 'with-ids-and-categories.csv', format: 'csv', rows: 4, accounts: one('USD') },
  { file: 'ofx/ca-chequing-ofx211.ofx', format: 'ofx', rows: 4, accounts: one('CAD') },
  { file: 'ofx/empty-curdef.ofx', format: 'ofx', rows: 2, accounts: one('USD') },
  {
    file: 'ofx/multi-account.ofx',
    format: 'ofx',
    rows: 5,
    accounts: [
      { currency: 'USD', bankId: '111122223333' },
      { currency: 'USD', kind: 'savings', bankId: '111122223344' },
      { currency: 'USD', kind: 'credit_card', bankId: '5500005555555559' },
    ],
  },
  { file: 'ofx/no-fitid.ofx', format: 'ofx', rows: 3, accounts: one('AUD') },
  { file: 'ofx/us-card.qfx', format: 'ofx', rows: 4, accounts: one('USD', 'credit_card') },
  { file: 'ofx/us-checking-ofx102.ofx', format: 'ofx', rows: 4, accounts: one('USD') },
  { file: 'ofx1-checking.ofx', format: 'ofx', rows: 4, accounts: one('USD') },
  { file: 'ofx2-creditcard.ofx', format: 'ofx', rows: 3, accounts: one('EUR', 'credit_card') },
  { file: 'qif/eu-girokonto.qif', format: 'qif', rows: 4, accounts: one('EUR') },
  // Three category and one class record precede five transactions.
  { file: 'qif/quicken-checking.qif', format: 'qif', rows: 5, accounts: one('USD') },
  {
    file: 'qif/several-accounts.qif',
    format: 'qif',
    rows: 5,
    // QIF names no currency: the remembered accounts, all in USD, say which.
    accounts: [
      { currency: 'USD', bankId: 'Everyday Checking' },
      { currency: 'USD', kind: 'credit_card', bankId: 'Rewards Visa' },
      { currency: 'USD', kind: 'cash', bankId: 'Wallet' },
    ],
  },
  { file: 'camt/ch-bank-camt053-001-08.xml', format: 'camt053', rows: 3, accounts: one('CHF') },
  // A batch of two details is two rows.
  { file: 'camt/de-bank-camt053-001-02.xml', format: 'camt053', rows: 5, accounts: one('EUR') },
  { file: 'camt/fr-bank-camt053-001-02.xml', format: 'camt053', rows: 2, accounts: one('EUR') },
  // One pending entry and one information-only entry are not transactions.
  {
    file: 'camt/two-accounts-camt053-001-04.xml',
    format: 'camt053',
    rows: 2,
    accounts: [
      { currency: 'EUR', bankId: 'NL91ABNA0417164300' },
      { currency: 'USD', bankId: '0012345678' },
    ],
  },
  { file: 'mt940/at-erste.mt940', format: 'mt940', rows: 3, accounts: one('EUR') },
  { file: 'mt940/de-sparkasse.sta', format: 'mt940', rows: 3, accounts: one('EUR') },
  { file: 'mt940/nl-ing.940', format: 'mt940', rows: 3, accounts: one('EUR') },
  // Two statements of the same account, one row each.
  {
    file: 'mt940/swift-wrapped.mt940',
    format: 'mt940',
    rows: 2,
    accounts: [{ currency: 'EUR', bankId: 'DE89370400440532013000' }],
  },
];

/** Fixtures that exist to be refused, and how. */
const REFUSED: { file: string; format: StatementFormat; code: string; line?: number }[] = [
  { file: 'ofx/error-general-2000.ofx', format: 'ofx', code: 'IMPORT_BANK_ERROR' },
  { file: 'ofx/error-signon-15500.ofx', format: 'ofx', code: 'IMPORT_BANK_ERROR' },
  { file: 'malformed-line-17.csv', format: 'csv', code: 'IMPORT_PARSE_ERROR', line: 17 },
];

const STATEMENT_EXTENSIONS = /\.(csv|tsv|ofx|qfx|qif|xml|mt940|sta|940)$/i;

function fixtureFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return fixtureFiles(path.join(dir, entry.name), name);
    return STATEMENT_EXTENSIONS.test(entry.name) ? [name] : [];
  });
}

let temp: TempVault;
let accountNo = 0;
const outcome = new Map<string, 'no flags' | 'flag' | 'not imported'>();

beforeAll(async () => {
  temp = await createTempVault();
});
afterAll(() => temp.cleanup());

/** Accounts for a fixture; with bank ids they are remembered, so no flag routes them. */
function accountsFor(fixture: CorpusFixture): string[] {
  const accounts = new AccountService(temp.vault);
  const bankIds = new AccountBankIdService(temp.vault);
  const ids = fixture.accounts.map((a) => {
    accountNo += 1;
    const created = accounts.create({
      name: `Corpus ${accountNo}`,
      currency: a.currency,
      kind: a.kind ?? 'checking',
    });
    if (a.bankId !== undefined) bankIds.remember(created.id, a.bankId);
    return created.id;
  });
  return ids;
}

describe('fixture corpus: every statement fixture imported with no flags', () => {
  it('the tables name every fixture under fixtures/, once', () => {
    const listed = [...CORPUS.map((f) => f.file), ...REFUSED.map((f) => f.file)].sort();
    expect(listed).toEqual(fixtureFiles(fixturePath('.')).sort());
  });

  it.each(CORPUS.map((f) => [f.file, f] as const))(
    '%s imports every data row, or says why not',
    async (_file, fixture) => {
      const ids = accountsFor(fixture);
      const account = fixture.accounts.some((a) => a.bankId !== undefined) ? undefined : ids[0];
      const before = importStateCounts(temp.vault);
      if (fixture.perCurrency !== undefined) {
        const err = await expectCofferError(
          importStatementFile(temp.vault, {
            file: fixturePath(fixture.file),
            format: fixture.format,
            account,
          }),
        );
        expect(err.code).toBe('CURRENCY_MISMATCH');
        expect(err.details).toMatchObject({ line: fixture.perCurrency.line });
        expect(err.message).toContain('--only-currency');
        expect(importStateCounts(temp.vault)).toEqual(before);
        let rows = 0;
        for (const [index, a] of fixture.accounts.entries()) {
          const result = await importStatementFile(temp.vault, {
            file: fixturePath(fixture.file),
            format: fixture.format,
            account: ids[index],
            onlyCurrency: a.currency,
          });
          expect(result.skippedLines.byReason['other-currency']).toBe(
            fixture.rows - result.created,
          );
          rows += result.created;
        }
        expect(rows).toBe(fixture.rows);
        outcome.set(fixture.file, 'flag');
        return;
      }
      const run = (readerOptions: Record<string, unknown> = {}) =>
        importStatementFile(temp.vault, {
          file: fixturePath(fixture.file),
          format: fixture.format,
          ...(account === undefined ? {} : { account }),
          readerOptions,
        });
      if (fixture.notImported !== undefined) {
        const err = await expectCofferError(run());
        expect(err.code).toBe(fixture.notImported.code);
        expect(err.details).toMatchObject({ line: fixture.notImported.line });
        expect(importStateCounts(temp.vault)).toEqual(before);
        outcome.set(fixture.file, 'not imported');
        return;
      }
      let result;
      try {
        result = await run();
        outcome.set(fixture.file, 'no flags');
      } catch (err) {
        if (!isCofferError(err) || err.code !== 'IMPORT_NEEDS_CHOICE') throw err;
        expect(fixture.choice, `${fixture.file} asked for ${err.message}`).toBeDefined();
        expect(err.details).toMatchObject({ flag: fixture.choice?.flag });
        expect(err.message).toContain(fixture.choice?.flag);
        expect(importStateCounts(temp.vault)).toEqual(before);
        result = await run(fixture.choice?.readerOptions);
        outcome.set(fixture.file, 'flag');
      }
      expect(result).toMatchObject({ rows: fixture.rows, created: fixture.rows });
      if (fixture.balanceMoved !== undefined) {
        const moved = temp.vault.db
          .prepare('SELECT sum(amount_minor) FROM transactions WHERE account_id = ?')
          .pluck()
          .get(account);
        expect(moved).toBe(fixture.balanceMoved);
      }
    },
  );

  it.each(REFUSED.map((f) => [f.file, f] as const))(
    '%s is refused with its code and writes nothing',
    async (_file, fixture) => {
      accountNo += 1;
      const account = new AccountService(temp.vault).create({
        name: `Corpus ${accountNo}`,
        currency: 'USD',
      });
      const before = importStateCounts(temp.vault);
      const err = await expectCofferError(
        importStatementFile(temp.vault, {
          file: fixturePath(fixture.file),
          format: fixture.format,
          account: account.id,
        }),
      );
      expect(err.code).toBe(fixture.code);
      if (fixture.line !== undefined) expect(err.details).toMatchObject({ line: fixture.line });
      expect(importStateCounts(temp.vault)).toEqual(before);
    },
  );

  it('at least 9 in 10 statements import with no flags at all', () => {
    expect(outcome.size).toBe(CORPUS.length);
    const noFlags = [...outcome.values()].filter((o) => o === 'no flags').length;
    const others = (kind: string) =>
      [...outcome].filter(([, o]) => o === kind).map(([file]) => file);
    expect(
      noFlags * 10,
      `${noFlags} of ${CORPUS.length} imported with no flags; flags needed: ${others('flag').join(', ') || 'none'}; not imported: ${others('not imported').join(', ') || 'none'}`,
    ).toBeGreaterThanOrEqual(CORPUS.length * 9);
  });
});
