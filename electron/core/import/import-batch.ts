import type { StatementFormat } from '../../../shared/domain/import-result.js';

/**
 * Hex digits of the file's SHA-256 in the batch label. The label is stored on every row an
 * import creates, so its length is paid 100,000 times for a large statement: 64 bits tell a
 * person's statement files apart, and the label stays a prefix of `sha256sum`'s output, so
 * anyone can check which file a row came from.
 */
export const IMPORT_BATCH_HASH_DIGITS = 16;

/** The batch label stored on every transaction an import creates: `<format>:<hash prefix>`. */
export function importBatchLabel(format: StatementFormat, fileSha256: string): string {
  return `${format}:${fileSha256.slice(0, IMPORT_BATCH_HASH_DIGITS)}`;
}

/**
 * Whether a stored batch label names the same file as `label`. Rows imported before labels
 * were shortened carry the file's whole hash, of which today's label is a prefix.
 */
export function sameImportFile(stored: string, label: string): boolean {
  if (stored === label) return true;
  return (
    stored.length === label.length + SHA256_HEX_DIGITS - IMPORT_BATCH_HASH_DIGITS &&
    stored.startsWith(label)
  );
}

const SHA256_HEX_DIGITS = 64;
