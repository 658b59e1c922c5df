import { z } from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { readImportFile } from './import-file.js';
import { resolveImportAccount, writeStatement, type ImportResult } from './import-statement.js';
import { readOfxFile } from './ofx/read-ofx-file.js';
import type { StatementRow } from './statement.js';

export const OfxImportOptionsSchema = z.strictObject({
  /** Path of the OFX / QFX file (OFX 1.x SGML or 2.x XML). */
  file: z.string().min(1),
  /** Account id or name. */
  account: z.string().trim().min(1),
});
export type OfxImportOptions = z.input<typeof OfxImportOptionsSchema>;

export interface OfxImportResult extends ImportResult {
  /** The statement's currency (CURDEF), or the account's when the statement names none. */
  currency: string;
  /** The bank's account number from the file, when given. */
  bankAccountId: string | null;
  /** What the user should know, e.g. an empty <CURDEF> or transactions without FITID. */
  warnings: readonly string[];
}

/**
 * Imports one OFX bank or card statement into an account, idempotently by FITID. Errors
 * as for CSV, plus CURRENCY_MISMATCH when the statement's CURDEF is not the account's
 * currency, IMPORT_BANK_ERROR for a bank's error reply, and IMPORT_FORMAT_UNSUPPORTED for
 * investment statements or a file with several accounts (which one is meant is for the
 * caller to say).
 */
export async function importOfx(vault: Vault, options: OfxImportOptions): Promise<OfxImportResult> {
  const opts = parseInput(OfxImportOptionsSchema, options, 'OFX import options');
  const account = resolveImportAccount(vault, opts.account);
  const { bytes, sha256 } = await readImportFile(opts.file);
  const file = readOfxFile(bytes, { accountCurrency: account.currency });
  const [statement, ...others] = file.statements;
  if (statement === undefined || others.length > 0) {
    throw new CofferError(
      'IMPORT_FORMAT_UNSUPPORTED',
      `the file holds ${file.statements.length} account statements (${file.statements.map((s) => `${s.bankAccountId ?? 'no id'} on line ${s.line}`).join(', ')}); import them by account`,
      { lines: file.statements.map((s) => s.line) },
    );
  }
  if (statement.currency !== null && statement.currency !== account.currency) {
    throw new CofferError(
      'CURRENCY_MISMATCH',
      `line ${statement.currencyLine}: the statement is in ${statement.currency} but account "${account.name}" is in ${account.currency}`,
      {
        line: statement.currencyLine,
        currency: statement.currency,
        accountCurrency: account.currency,
      },
    );
  }
  const rows: StatementRow[] = [];
  for (const item of statement.items()) {
    if (item.kind !== 'row') continue;
    const { row } = item;
    if (row.currency !== null && row.currency !== account.currency) {
      throw new CofferError(
        'CURRENCY_MISMATCH',
        `line ${row.line}: this transaction is in ${row.currency}, not the account's ${account.currency}`,
        { line: row.line, currency: row.currency, expected: account.currency },
      );
    }
    rows.push(row);
  }
  const result = writeStatement(vault, account, rows, { format: 'ofx', fileSha256: sha256 });
  return {
    ...result,
    currency: statement.currency ?? account.currency,
    bankAccountId: statement.bankAccountId,
    warnings: file.warnings,
  };
}
