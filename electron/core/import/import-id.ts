import { createHash, hash } from 'node:crypto';

/** The ledger keeps import ids to 255 characters (the OFX FITID maximum, without prefix). */
const MAX_IMPORT_ID_LENGTH = 255;

/**
 * A bank id (OFX FITID, a mapped CSV id column, …) gives `<prefix>:<id>`; an id too long
 * to fit gives `<prefix>-sha256:<hash of the id>`. The ledger skips a row whose
 * (account, importId) it already holds, tombstones included.
 */
export function bankImportId(prefix: string, id: string): string {
  const plain = `${prefix}:${id}`;
  return plain.length <= MAX_IMPORT_ID_LENGTH ? plain : `${prefix}-sha256:${sha256(id)}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The prefix of a bank id per format; `fitid:` and `id:` are what earlier imports stored. */
export const BANK_ID_PREFIX = {
  csv: 'id',
  ofx: 'fitid',
  qif: 'qif',
  camt053: 'camt',
  mt940: 'mt940',
} as const satisfies Record<string, string>;

/**
 * The content key every imported row carries, whether or not it has a bank id: `k:` + the
 * first 128 bits of SHA-256 of [accountId, date, amountMinor, descriptionKey, occurrence]
 * as JSON, in base64url. The description key does not depend on the column mapping, so the
 * same rows read another way give the same keys; `occurrence` tells two real identical rows
 * of one file apart. 128 bits keep two different rows of an account apart with certainty
 * while the key and its index stay small: every imported row writes one.
 */
export function importKeyFor(
  accountId: string,
  date: string,
  amountMinor: number,
  descriptionKey: string,
  occurrence: number,
): string {
  // One-shot hash(): a third cheaper than a createHash object for a row's few bytes.
  const digest = hash(
    'sha256',
    JSON.stringify([accountId, date, amountMinor, descriptionKey, occurrence]),
    'buffer',
  );
  return `k:${digest.subarray(0, 16).toString('base64url')}`;
}

/**
 * Counts earlier rows of one file with the same (date, amount, description key), keyed by a
 * 53-bit hash of them so a long statement's counter stays small and cheap. Two different
 * rows whose hashes collide merely share a count: the numbering is still the same every
 * time the file is read, which is all the content key needs.
 */
export class OccurrenceCounter {
  private readonly seen = new Map<number, number>();

  next(date: string, amountMinor: number, descriptionKey: string): number {
    const key = hash53(`${date}\u0000${amountMinor}\u0000${descriptionKey}`);
    const occurrence = this.seen.get(key) ?? 0;
    this.seen.set(key, occurrence + 1);
    return occurrence;
  }
}

/** A fast non-cryptographic 53-bit string hash (two 32-bit multiply-xorshift lanes). */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
