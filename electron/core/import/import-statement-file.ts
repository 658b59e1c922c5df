import { setImmediate } from 'node:timers/promises';
import * as z from 'zod';
import {
  BankAccountIdSchema,
  StatementFormatSchema,
} from '../../../shared/domain/import.schema.js';
import type { Account } from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { ImportStatementFileResult } from '../../../shared/domain/import-result.js';
import { CurrencyCodeSchema } from '../../../shared/money/currency.js';
import type { PayeeRuleMatcher } from '../rules/payee-rule-matcher.js';
import { PayeeRuleService } from '../rules/payee-rule.service.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { AccountBankIdService } from './account-bank-id.service.js';
import { statementInput } from './statement-input.js';
import { ImportProfileService } from './import-profile.service.js';
import { resolveImportAccount } from './import-account.js';
import type { StatementReaders, ReadStatementFile } from './statement-reader.js';
import { STATEMENT_READERS } from './statement-readers.js';
import { withRollbackJournalAsync } from '../vault/rollback-journal.js';
import {
  statementWriteSteps,
  type StatementTarget,
  type WriteProgress,
  type WrittenRow,
} from './statement-writer.js';

export const ImportStatementFileOptionsSchema = z.strictObject({
  /** Path of the statement file. */
  file: z.string().min(1),
  format: StatementFormatSchema,
  /** Account id or name. Needed for CSV; for a file of several statements, with `statementAccount`. */
  account: z.string().trim().min(1).optional(),
  /** The bank's id of the one statement to import into `account` (`--statement-account`, `--ofx-account`). */
  statementAccount: BankAccountIdSchema.optional(),
  /** Read, plan and check everything, write nothing. */
  dryRun: z.boolean().default(false),
  /** Create categories the file names that the vault lacks (else rows stay uncategorised). */
  createCategories: z.boolean().default(false),
  /**
   * Import only the rows in this currency (the account's), listing the others as skipped:
   * how a payment processor's export in several currencies goes into one account per
   * currency.
   */
  onlyCurrency: CurrencyCodeSchema.optional(),
  /** The format's own flags, validated by its reader (CSV: mapping, dateFormat, …). */
  readerOptions: z.record(z.string(), z.unknown()).default({}),
});
export type ImportStatementFileOptions = z.input<typeof ImportStatementFileOptionsSchema>;

export type { ImportStatementFileResult } from '../../../shared/domain/import-result.js';

export interface ImportRunOptions {
  /** Payee rules; omitted: the vault's own rules, compiled once. Null: none. */
  matcher?: PayeeRuleMatcher | null;
  /** The reader table; tests and the app may pass their own. */
  readers?: StatementReaders;
  /** Sees each row once written (the preview uses it). */
  onRow?: (row: WrittenRow) => void;
  /**
   * Told after each chunk of rows is written, while the import still runs (the write
   * transaction is open and the event loop gets a turn after each call).
   */
  onProgress?: (progress: WriteProgress) => void;
  /**
   * The file's bytes, already in memory (the app sends a picked file this way): read from
   * here, never written to disk, with `file` only naming it in messages. Same size limit.
   */
  content?: Uint8Array;
}

/** Thrown inside the vault transaction to roll a dry run back. */
class DryRunRollback extends Error {
  constructor(readonly result: ImportStatementFileResult) {
    super('dry run');
  }
}

/**
 * Imports a statement file: reads it (nothing written yet), routes each statement to its
 * account, then writes every statement in ONE vault transaction, or nothing on any error.
 * A dry run does all of it and rolls back, so it reports exactly what the import would do.
 * Errors: FILE_NOT_FOUND, FILE_TOO_LARGE, IMPORT_PARSE_ERROR ("line N: …"),
 * IMPORT_NEEDS_CHOICE, IMPORT_BANK_ERROR, IMPORT_FORMAT_UNSUPPORTED, IMPORT_ACCOUNT_UNKNOWN,
 * CURRENCY_MISMATCH, CONFLICT (a bank id bound to another account), NOT_FOUND /
 * INVALID_STATE for the account, INVALID_INPUT for bad options.
 */
export async function importStatementFile(
  vault: Vault,
  options: ImportStatementFileOptions,
  run: ImportRunOptions = {},
): Promise<ImportStatementFileResult> {
  const opts = parseInput(ImportStatementFileOptionsSchema, options, 'import options');
  const reader = (run.readers ?? STATEMENT_READERS)[opts.format];
  if (reader === undefined) {
    throw new CofferError(
      'IMPORT_FORMAT_UNSUPPORTED',
      `${opts.format} statements cannot be imported yet`,
      { format: opts.format },
    );
  }
  const account = opts.account === undefined ? null : resolveImportAccount(vault, opts.account);
  const bankIds = new AccountBankIdService(vault);
  const input = statementInput(opts.file, run.content);
  const sha256 = input.sha256();
  const profiles = new ImportProfileService(vault);
  const read: ReadStatementFile = reader(input, {
    currency: account?.currency ?? null,
    accountKind: account?.kind ?? null,
    options: opts.readerOptions,
    profileFor: (signature) => profiles.find(opts.format, signature)?.settings ?? null,
    currencyOfBankAccount: (bankAccountId) =>
      bankIds.findAccount(bankAccountId.trim())?.currency ?? null,
  });
  const { targets, remember } = route(vault, read, account, opts.statementAccount, bankIds);
  for (const { account: target } of targets) {
    if (opts.onlyCurrency !== undefined && opts.onlyCurrency !== target.currency) {
      throw new CofferError(
        'CURRENCY_MISMATCH',
        `--only-currency ${opts.onlyCurrency} names another currency than account "${target.name}" (${target.currency})`,
        { currency: opts.onlyCurrency, accountCurrency: target.currency },
      );
    }
  }

  const matcher = run.matcher === undefined ? new PayeeRuleService(vault).matcher() : run.matcher;
  function* steps(): Generator<WriteProgress, ImportStatementFileResult, undefined> {
    const summary = yield* statementWriteSteps(vault, targets, {
      file: read,
      fileSha256: sha256,
      createCategories: opts.createCategories,
      ...(opts.onlyCurrency === undefined ? {} : { onlyCurrency: opts.onlyCurrency }),
      matcher,
      ...(run.onRow === undefined ? {} : { onRow: run.onRow }),
      rollingBack: opts.dryRun,
    });
    const remembered = remember.map((r) => {
      bankIds.remember(r.accountId, r.bankAccountId);
      return r;
    });
    let profile: ImportStatementFileResult['profile'] = null;
    if (!opts.dryRun && read.signature !== undefined && read.resolved !== undefined) {
      const saved = profiles.save({
        format: opts.format,
        signature: read.signature,
        settings: read.resolved,
        accountId: targets[0]?.account.id ?? null,
      });
      profile = { id: saved.id, signature: saved.signature };
    }
    const result = { ...summary, dryRun: opts.dryRun, profile, remembered };
    if (opts.dryRun) throw new DryRunRollback(result);
    return result;
  }

  // Between two chunks the event loop runs, so progress reaches a window while the import
  // is still writing; the transaction stays open and nothing else can write into it.
  const between = async (progress: WriteProgress): Promise<void> => {
    run.onProgress?.(progress);
    await setImmediate();
  };
  try {
    // A statement can hold a hundred thousand rows: written once under a rollback journal
    // instead of twice (WAL, then its checkpoint), atomic and durable either way.
    const write = (): Promise<ImportStatementFileResult> =>
      vault.transactionInSteps(steps(), between);
    return opts.dryRun ? await write() : await withRollbackJournalAsync(vault.db, write);
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result;
    throw err;
  }
}

interface Routing {
  targets: StatementTarget[];
  remember: { bankAccountId: string; accountId: string }[];
}

/**
 * Which account each statement goes to. One statement: the account given, else the one
 * remembered for its bank id. Several: each the account remembered for it, or with
 * `statementAccount` just that one into the account given.
 */
function route(
  vault: Vault,
  read: ReadStatementFile,
  account: Account | null,
  statementAccount: string | undefined,
  bankIds: AccountBankIdService,
): Routing {
  let statements = read.statements;
  if (statementAccount !== undefined) {
    statements = statements.filter((s) => s.bankAccountId?.trim() === statementAccount);
    if (statements.length === 0) {
      throw new CofferError(
        'IMPORT_ACCOUNT_UNKNOWN',
        `the file has no statement for bank account ${statementAccount}; it holds ${describeIds(read)}`,
        { statementAccount, bankAccountIds: read.statements.map((s) => s.bankAccountId) },
      );
    }
  }
  if (statements.length === 1 || (statements.length > 1 && account !== null)) {
    if (statements.length > 1) {
      throw new CofferError(
        'IMPORT_ACCOUNT_UNKNOWN',
        `the file holds ${statements.length} statements (${describeIds(read)}); --account applies to one: add --statement-account ID`,
        { bankAccountIds: statements.map((s) => s.bankAccountId) },
      );
    }
    const statement = statements[0] as StatementTarget['statement'];
    const bankId = statement.bankAccountId?.trim() || null;
    const target = account ?? (bankId === null ? undefined : bankIds.findAccount(bankId));
    if (target === undefined) {
      throw new CofferError(
        'IMPORT_ACCOUNT_UNKNOWN',
        bankId === null
          ? 'the statement does not name its account: pass --account NAME'
          : `no account is known for bank account ${bankId}: pass --account NAME (it is then remembered)`,
        { bankAccountIds: [bankId] },
      );
    }
    return {
      targets: [{ statement, account: resolveImportAccount(vault, target.id) }],
      remember: bankId === null ? [] : [{ bankAccountId: bankId, accountId: target.id }],
    };
  }
  const targets: StatementTarget[] = [];
  const unknown: string[] = [];
  for (const statement of statements) {
    const bankId = statement.bankAccountId?.trim() || null;
    const found = bankId === null ? undefined : bankIds.findAccount(bankId);
    if (found === undefined) unknown.push(bankId ?? `(no id, line ${statement.line})`);
    else targets.push({ statement, account: resolveImportAccount(vault, found.id) });
  }
  if (unknown.length > 0) {
    throw new CofferError(
      'IMPORT_ACCOUNT_UNKNOWN',
      `the file holds ${statements.length} statements and no account is known for bank account(s) ${unknown.join(', ')}: import it once per statement with --account NAME --statement-account ID (the choice is remembered)`,
      { bankAccountIds: unknown },
    );
  }
  return { targets, remember: [] };
}

function describeIds(read: ReadStatementFile): string {
  return read.statements
    .map((s) => s.bankAccountId ?? `a statement without an id on line ${s.line}`)
    .join(', ');
}
