import { resolveImportAccount } from './import-account.js';
import type { Account, TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { CategoryService } from '../ledger/category.service.js';
import { nameKey } from '../ledger/name-key.js';
import { TransactionService } from '../ledger/transaction.service.js';
import type { Vault } from '../vault/vault.js';
import { assignImportIds } from './import-id.js';
import { importParseError } from './parse-error.js';
import type { StatementRow } from './statement.js';

export { resolveImportAccount };

/**
 * The first writer, kept for `importCsv` / `importOfx` until their callers move to
 * `importStatementFile` (which uses statement-writer.ts).
 */
export interface ImportResult {
  /** Transactions written by this import. */
  created: number;
  /** Rows the account already had (same import id): a re-import skips them all. */
  skipped: number;
  /** Rows in the file. */
  total: number;
  /** SHA-256 of the file's bytes, hex. */
  fileSha256: string;
  accountId: string;
  /** Label stored on every transaction this import created (`<format>:<fileSha256>`). */
  importBatch: string;
}

export interface WriteStatementOptions {
  format: 'csv' | 'ofx';
  fileSha256: string;
  /** Create categories named in the file that the vault does not have (else an error). */
  createCategories?: boolean;
}

const MAX_NAME = 200;
const MAX_NOTES = 10_000;

/**
 * Writes parsed rows into the account in one vault transaction: all of them (less those
 * already imported) or, on any error, none. Categories are resolved (or created) inside
 * the same transaction, so a failure leaves no stray category behind either.
 */
export function writeStatement(
  vault: Vault,
  account: Account,
  rows: readonly StatementRow[],
  options: WriteStatementOptions,
): ImportResult {
  const importIds = assignImportIds(rows, account.id, options.format === 'ofx' ? 'fitid' : 'id');
  const importBatch = `${options.format}:${options.fileSha256}`;
  const result = vault.transaction(() => {
    const categoryIds = resolveCategories(vault, rows, options.createCategories ?? false);
    const inputs = rows.map((row, index): TransactionCreateInput => {
      const input: TransactionCreateInput = {
        accountId: account.id,
        date: row.date,
        amountMinor: row.amountMinor,
        notes: cleanNotes(row.memo),
        importId: importIds[index] ?? null,
      };
      const payee = cleanName(row.payee);
      if (payee !== null) input.payeeName = payee;
      if (row.category !== null) input.categoryId = categoryIds.get(nameKey(row.category)) ?? null;
      return input;
    });
    try {
      return new TransactionService(vault).createMany(inputs, { importBatch });
    } catch (err) {
      throw atLine(err, rows);
    }
  });
  return {
    created: result.created,
    skipped: result.skipped,
    total: rows.length,
    fileSha256: options.fileSha256,
    accountId: account.id,
    importBatch,
  };
}

function resolveCategories(
  vault: Vault,
  rows: readonly StatementRow[],
  create: boolean,
): Map<string, string> {
  const service = new CategoryService(vault);
  const ids = new Map<string, string>();
  for (const row of rows) {
    if (row.category === null) continue;
    const key = nameKey(row.category);
    if (ids.has(key)) continue;
    try {
      ids.set(key, service.resolveCategory(row.category).id);
    } catch (err) {
      if (!(isCofferError(err) && err.code === 'NOT_FOUND')) throw lineError(row.line, err);
      if (!create) {
        throw importParseError(
          row.line,
          `no category named "${row.category}"; create it first or import with the create-categories option`,
          { category: row.category },
        );
      }
      try {
        const kind = row.amountMinor > 0 ? 'income' : 'expense';
        ids.set(key, service.create({ name: row.category, kind }).id);
      } catch (createErr) {
        throw lineError(row.line, createErr);
      }
    }
  }
  return ids;
}

/** A ledger error about row `details.index` is re-reported at that row's line. */
function atLine(err: unknown, rows: readonly StatementRow[]): unknown {
  if (!isCofferError(err)) return err;
  const index = err.details?.index;
  const row = typeof index === 'number' ? rows[index] : undefined;
  if (row === undefined) return err;
  return lineError(
    row.line,
    new CofferError(err.code, err.message.replace(/^Transaction #\d+: /, ''), err.details),
  );
}

function lineError(line: number, err: unknown): unknown {
  if (!isCofferError(err)) return err;
  if (err.code === 'CURRENCY_MISMATCH' || err.code === 'INVALID_STATE') {
    return new CofferError(err.code, `line ${line}: ${err.message}`, { ...err.details, line });
  }
  return importParseError(line, err.message, { cause: err.code });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** Bank payee fields carry tabs, padding and overlong text; the ledger wants a clean name. */
function cleanName(value: string | null): string | null {
  if (value === null) return null;
  const cleaned = truncate(
    value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim(),
    MAX_NAME,
  ).trim();
  return cleaned === '' ? null : cleaned;
}

function cleanNotes(value: string | null): string {
  return value === null ? '' : truncate(value.replace(/\r\n?/g, '\n').trim(), MAX_NOTES);
}

/** At most `max` UTF-16 units (what the schemas count), never splitting a character. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}
