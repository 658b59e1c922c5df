import { createHash } from 'node:crypto';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { hashImportFileSync, MAX_IMPORT_FILE_BYTES, readImportBytesSync } from './import-file.js';
import type { StatementInput } from './statement-reader.js';
import { bytesTextSource, fileTextSource } from './text-source.js';

/**
 * The statement a reader reads: a file on disk, read in pieces, or bytes already in memory
 * (a file the app's window picked), which never touch the disk. Both under the same limit.
 */
export function statementInput(
  file: string,
  content: Uint8Array | undefined,
): StatementInput & { sha256(): string } {
  if (content === undefined) {
    return {
      file,
      bytes: () => readImportBytesSync(file),
      text: (encoding) => fileTextSource(file, encoding),
      sha256: () => hashImportFileSync(file),
    };
  }
  if (content.byteLength > MAX_IMPORT_FILE_BYTES) {
    throw new CofferError(
      'FILE_TOO_LARGE',
      `${file} is larger than the ${MAX_IMPORT_FILE_BYTES / (1024 * 1024)} MiB import limit`,
      { file, size: content.byteLength, maxBytes: MAX_IMPORT_FILE_BYTES },
    );
  }
  const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return {
    file,
    bytes: () => buffer,
    text: (encoding) => bytesTextSource(buffer, file, encoding),
    sha256: () => createHash('sha256').update(buffer).digest('hex'),
  };
}
