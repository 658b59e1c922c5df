import { CofferError } from '../../../shared/errors/coffer-error.js';

/**
 * Every problem found in an imported file is reported the same way: code
 * IMPORT_PARSE_ERROR, a message that starts with the 1-based line number so a user can
 * open the file and look, and the line (and column when known) in details for programs.
 */
export function importParseError(
  line: number,
  message: string,
  details: Record<string, unknown> = {},
): CofferError {
  return new CofferError('IMPORT_PARSE_ERROR', `line ${line}: ${message}`, { line, ...details });
}

/** Re-reports a CofferError thrown while reading one field (an amount, a date) at its line. */
export function fieldError(
  line: number,
  err: unknown,
  details: Record<string, unknown> = {},
): CofferError {
  if (err instanceof CofferError) {
    return importParseError(line, err.message, { ...details, cause: err.code });
  }
  throw err;
}
