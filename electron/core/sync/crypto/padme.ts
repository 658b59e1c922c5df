import { CofferError } from '../../../../shared/errors/coffer-error.js';

/**
 * PADMÉ padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
 * Communication with PURBs", PETS 2019): a length L is rounded up so that only its top
 * ⌊log2 E⌋ + 1 bits below the leading one may vary (E = ⌊log2 L⌋). The overhead is at most
 * about 12%, and a padded length reveals O(log log L) bits about L instead of log L.
 *
 * Plaintexts are marked the ISO/IEC 7816-4 way before padding — one 0x80 byte, then zeros up
 * to the PADMÉ length of (length + 1) — so the padding comes off exactly, whatever the
 * plaintext ends with.
 */
export function padmeLength(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new CofferError('INTERNAL', 'A length to pad is a whole number of bytes.');
  }
  if (length < 2) return length;
  const e = Math.floor(Math.log2(length));
  const s = Math.floor(Math.log2(e)) + 1;
  const lastBits = e - s;
  const mask = 2 ** lastBits - 1;
  // Integer arithmetic on numbers rather than 32-bit bitwise operators, valid up to 2^53.
  return Math.ceil(length / (mask + 1)) * (mask + 1);
}

export function pad(plaintext: Buffer): Buffer {
  const padded = Buffer.alloc(padmeLength(plaintext.length + 1));
  plaintext.copy(padded);
  padded[plaintext.length] = 0x80;
  return padded;
}

/**
 * The plaintext inside `padded`; PADDING_INVALID when it is not what pad() writes: a length
 * that is not a PADMÉ length, no 0x80 marker, or anything but zeros after it.
 */
export function unpad(padded: Buffer): Buffer {
  if (padded.length === 0 || padmeLength(padded.length) !== padded.length) {
    throw paddingInvalid('its length is not a padded length');
  }
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80) throw paddingInvalid('the end marker is missing');
  if (padmeLength(end + 1) !== padded.length) {
    throw paddingInvalid('it holds more padding than the padder writes');
  }
  return padded.subarray(0, end);
}

function paddingInvalid(why: string): CofferError {
  return new CofferError('PADDING_INVALID', `Decrypted data is not padded as Coffer pads: ${why}.`);
}
