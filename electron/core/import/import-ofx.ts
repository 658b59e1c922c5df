import { z } from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { readImportFile } from './import-file.js';
import { resolveImportAccount, writeStatement, type ImportResult } from './import-statement.js';
import { parseOfxStatement } from './ofx/parse-ofx-statement.js';

export const OfxImportOptionsSchema = z.strictObject({
  /** Path of the OFX / QFX file (OFX 1.x SGML or 2.x XML). */
  file: z.string().min(1),
  /** Account id or name. */
  account: z.string().trim().min(1),
});
export type OfxImportOptions = z.input<typeof OfxImportOptionsSchema>;

export interface OfxImportResult extends ImportResult {
  /** The statement's currency (CURDEF). */
  currency: string;
  /** The bank's account number from the file, when given. */
  bankAccountId: string | null;
}

/**
 * Imports one OFX bank or card statement into an account, idempotently by FITID. Errors
 * as for CSV, plus CURRENCY_MISMATCH when the statement's CURDEF is not the account's
 * currency and IMPORT_FORMAT_UNSUPPORTED for investment or multi-account files.
 */
export async function importOfx(vault: Vault, options: OfxImportOptions): Promise<OfxImportResult> {
  const opts = parseInput(OfxImportOptionsSchema, options, 'OFX import options');
  const account = resolveImportAccount(vault, opts.account);
  const { bytes, sha256 } = await readImportFile(opts.file);
  const statement = parseOfxStatement(bytes);
  if (statement.currency !== account.currency) {
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
  const result = writeStatement(vault, account, statement.rows, {
    format: 'ofx',
    fileSha256: sha256,
  });
  return { ...result, currency: statement.currency, bankAccountId: statement.bankAccountId };
}
