import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { isCofferError, type ErrorCode } from '../../../../../shared/errors/coffer-error.js';

/** The code of the CofferError `fn` throws; fails the test if it returns or throws anything else. */
export function codeOf(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a CofferError, got a result');
}

/** The error `fn` throws, which must be a CofferError with `code`. */
export function errorOf(fn: () => unknown, code: ErrorCode): Error {
  try {
    fn();
  } catch (error) {
    expect(isCofferError(error) && error.code).toBe(code);
    return error as Error;
  }
  throw new Error(`expected ${code}, got a result`);
}

/** Fixed bytes for test vectors: SHA-256 of a label. */
export function fixedBytes(label: string): Buffer {
  return createHash('sha256').update(label).digest();
}

/** A copy of `bytes` with byte `index` inverted: provably different from the original. */
export function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] as number) ^ 0xff;
  return copy;
}
