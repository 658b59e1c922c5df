import { CofferError } from '../../../shared/errors/coffer-error.js';

/**
 * Coffer's code for a file-system error met while writing `file`, or the error unchanged.
 * Node's own message names the call and the path, nothing secret, but the code is what a
 * user and a script can act on.
 */
export function fromFsError(error: unknown, file: string): unknown {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new CofferError(
        'DISK_FULL',
        `The disk is full: ${file} could not be written. Free some space and try again.`,
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new CofferError(
        'VAULT_READ_ONLY',
        `${file} could not be written: the folder is read-only for this user.`,
      );
    default:
      return error;
  }
}
