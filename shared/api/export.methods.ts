/**
 * Exports and backups handed to the window as files to save. Exports are plaintext (the
 * screen says so); a backup stays encrypted under the vault key.
 */
import * as z from 'zod';
import { IsoMonthSchema } from '../dates/iso-date.js';
import { RefSchema } from '../domain/ledger.schema.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';
import type { FileDownload } from './file-payload.js';

export const EXPORT_METHODS = {
  /** The whole vault as Coffer's JSON export (`coffer export --format json`). */
  vaultJson: apiMethod<FileDownload>()(EmptyInputSchema),
  /** Live transactions as CSV (`coffer export --format csv`), optionally one account or month. */
  transactionsCsv: apiMethod<FileDownload>()(
    z.strictObject({ account: RefSchema.optional(), month: IsoMonthSchema.optional() }),
  ),
  /** A consistent encrypted backup with its vault.json (`coffer backup`). */
  backup: apiMethod<FileDownload>()(EmptyInputSchema),
} as const;
