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
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = toBytes(part);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

function toBytes(part: LengthPrefixedPart): Buffer {
  if (typeof part === 'string') return Buffer.from(part, 'utf8');
  if (typeof part === 'number') {
    if (!Number.isInteger(part) || part < 0 || part > 0xffff_ffff) {
      throw new CofferError('INTERNAL', 'A length-prefixed number is a 32-bit unsigned integer.');
    }
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(part);
    return bytes;
  }
  return part;
}
