import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { IMPORT_FILE_MAX_BYTES } from '../../../shared/api/import.methods.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';

/** Statements are small; anything larger is a wrong file or an attempt to exhaust memory. */
export const MAX_IMPORT_FILE_BYTES = IMPORT_FILE_MAX_BYTES;

function tooLarge(file: string, size: number, maxBytes: number): CofferError {
  return new CofferError(
    'FILE_TOO_LARGE',
    `${file} is larger than the ${maxBytes / (1024 * 1024)} MiB import limit`,
    { file, size, maxBytes },
  );
}

function fileOpenError(file: string, err: unknown): CofferError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new CofferError('FILE_NOT_FOUND', `${file} does not exist`, { file });
  }
  if (code === 'EISDIR') {
    return new CofferError('INVALID_INPUT', `${file} is not a regular file`, { file });
  }
  return new CofferError('FILE_NOT_FOUND', `${file} cannot be read (${code ?? 'unknown error'})`, {
    file,
  });
}

const PIECE = 64 * 1024;

/**
 * SHA-256 of a statement file read in 64 KiB pieces (the import batch's label), refusing
 * it before reading when it is over the limit: a streamed import never holds the file.
 */
export function hashImportFileSync(file: string, maxBytes: number = MAX_IMPORT_FILE_BYTES): string {
  const hash = createHash('sha256');
  readPiecesSync(file, maxBytes, (piece) => hash.update(piece));
  return hash.digest('hex');
}

/** The whole file, for the readers that need it whole (OFX, QIF, CAMT, MT940), capped. */
export function readImportBytesSync(
  file: string,
  maxBytes: number = MAX_IMPORT_FILE_BYTES,
): Buffer {
  const pieces: Buffer[] = [];
  readPiecesSync(file, maxBytes, (piece) => pieces.push(Buffer.from(piece)));
  return Buffer.concat(pieces);
}

/**
 * The size is checked on the open handle (not a separate stat of the path) and the reads
 * are counted, so a file swapped or growing after the check still cannot exceed the limit.
 */
function readPiecesSync(file: string, maxBytes: number, onPiece: (piece: Buffer) => void): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw fileOpenError(file, err);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      throw new CofferError('INVALID_INPUT', `${file} is not a regular file`, { file });
    }
    if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes);
    const buffer = Buffer.alloc(PIECE);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, PIECE, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw tooLarge(file, length, maxBytes);
      onPiece(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
}
