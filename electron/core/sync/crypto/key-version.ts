import { CofferError } from '../../../../shared/errors/coffer-error.js';

/** User and workspace keys count versions from 1; the wire formats hold them as 32 bits. */
export function assertKeyVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > 0xffff_ffff) {
    throw new CofferError('INVALID_INPUT', 'A key version is a whole number from 1.');
  }
}
