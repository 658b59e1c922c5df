import { CofferError } from '../../../../shared/errors/coffer-error.js';

export type LengthPrefixedPart = string | number | Buffer;

/**
 * Joins parts into one byte string that can be split back one way only: each part is its
 * length as a 4-byte big-endian integer, then its bytes (strings as UTF-8, numbers as a
 * 4-byte unsigned integer). A separator such as "|" would not do: ("a|b", "c") and
 * ("a", "b|c") join to the same text, so a value that may hold the separator could move
 * bytes from one field into the next and still authenticate. Used for associated data,
 * HKDF info and anything else hashed or authenticated as a tuple.
 */
export function lengthPrefixed(parts: readonly LengthPrefixedPart[]): Buffer {
  // Measured first and written into one buffer: associated data is built for every change
  // a device opens, and a buffer per length and per part was most of what that cost.
  let size = 0;
  for (const part of parts) size += 4 + byteLengthOf(part);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'number') {
      assertUint32(part);
      at = out.writeUInt32BE(4, at);
      at = out.writeUInt32BE(part, at);
    } else if (typeof part === 'string') {
      // The bytes first, then their count in front of them: the string is measured once.
      const length = out.write(part, at + 4, 'utf8');
      out.writeUInt32BE(length, at);
      at += 4 + length;
    } else {
      at = out.writeUInt32BE(part.length, at);
      at += part.copy(out, at);
    }
  }
  return out;
}

function byteLengthOf(part: LengthPrefixedPart): number {
  if (typeof part === 'number') return 4;
  if (typeof part === 'string') return Buffer.byteLength(part, 'utf8');
  return part.length;
}

function assertUint32(part: number): void {
  if (!Number.isInteger(part) || part < 0 || part > 0xffff_ffff) {
    throw new CofferError('INTERNAL', 'A length-prefixed number is a 32-bit unsigned integer.');
  }
}
