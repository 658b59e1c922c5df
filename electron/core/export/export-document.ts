import * as z from 'zod';

export const EXPORT_FORMAT = 'coffer-export';
export const EXPORT_VERSION = 1;

/** A column value: SQLite text or integer, null, or (BLOB columns) base64 text. */
const CellSchema = z.union([
  z.string(),
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.null(),
]);
export type ExportCell = z.infer<typeof CellSchema>;

export const ExportRowSchema = z.record(z.string(), CellSchema);
export type ExportRow = z.infer<typeof ExportRowSchema>;

/**
 * The whole-vault export (`coffer export`), plaintext JSON:
 *
 *     { "format": "coffer-export", "version": 1, "exportedAt": ISO-8601,
 *       "schemaVersion": <vault schema version>, "collections": { <table>: [ row, … ] } }
 *
 * `collections` is keyed by table name and holds every live row of every user-data table
 * (see EXPORTED_TABLES), each row an object of its SQL columns (snake_case) exactly as
 * stored: amounts in minor units, dates 'YYYY-MM-DD', instants UTC ms, BLOB columns
 * (attachment bytes) base64. Child rows (transaction_splits, quote_lines, invoice_lines,
 * recurring_lines, payment_allocations) are tables of their own, pointing at their parent.
 * Tombstones are left out, except a deleted row that a live row still references (which
 * a sync merge can produce): it is kept, with its deleted_at, so references hold.
 * Keys, the vault and device ids, HLC clocks and the sync outbox are never exported.
 */
export const ExportDocumentSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  schemaVersion: z.number().int().min(1),
  collections: z.record(z.string(), z.array(ExportRowSchema)),
});
export type ExportDocument = z.infer<typeof ExportDocumentSchema>;
