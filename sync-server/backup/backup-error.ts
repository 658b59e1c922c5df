/**
 * A backup or restore that could not be done, with the exit status the command answers:
 * 2 for what the operator asked wrongly (a missing data dir, a backup of another storage
 * kind), 1 for what failed (a full disk, an unreachable database, a damaged file, a wrong
 * key). The message says what was (not) changed.
 */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** The error's code (`ENOSPC`, `EFBIG`, ...), or `unknown error`. */
export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : 'unknown error';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
