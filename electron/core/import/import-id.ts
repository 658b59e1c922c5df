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
  // The fields' JSON, written out directly when no text needs escaping (account ids, ISO
  // dates and description keys, as good as always): a fourth of JSON.stringify's cost.
  const json =
    Number.isSafeInteger(amountMinor) &&
    Number.isSafeInteger(occurrence) &&
    JSON_AS_IS.test(accountId) &&
    JSON_AS_IS.test(date) &&
    JSON_AS_IS.test(descriptionKey)
      ? `["${accountId}","${date}",${amountMinor},"${descriptionKey}",${occurrence}]`
      : JSON.stringify([accountId, date, amountMinor, descriptionKey, occurrence]);
  // One-shot hash(): a third cheaper than a createHash object for a row's few bytes. It
  // encodes the whole digest itself, which costs less than a Buffer, a slice and its own
  // encoding: 21 characters carry the first 126 bits, and the 22nd keeps what it holds of
  // byte 15 (its top two bits), just as encoding the 16 bytes alone would.
  const full = hash('sha256', json, 'base64url');
  const last = BASE64URL_VALUE[full.charCodeAt(21)] as number;
  return `k:${full.slice(0, 21)}${BASE64URL[last & 0x30] as string}`;
}

/** Text JSON writes unchanged between quotes: no quote, backslash, control or lone surrogate. */
// eslint-disable-next-line no-control-regex
const JSON_AS_IS = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Each base64url character's 6-bit value, by character code. */
const BASE64URL_VALUE = new Uint8Array(128);
for (let i = 0; i < BASE64URL.length; i++) BASE64URL_VALUE[BASE64URL.charCodeAt(i)] = i;

/**
 * Counts earlier rows of one file with the same (date, amount, description key), keyed by a
 * 53-bit hash of them so a long statement's counter stays small and cheap. Two different
 * rows whose hashes collide merely share a count: the numbering is still the same every
 * time the file is read, which is all the content key needs.
 *
 * The hash is of `date \0 amount \0 description key`, fed part by part rather than
 * joined, and the counts sit in an open-addressing table of typed arrays rather than a
 * Map: a 53-bit number is a heap object in a Map, and with the join it was most of the
 * counter's cost on a 100k-row statement.
 */
export class OccurrenceCounter {
  /** Per slot: the hash's low 32 bits, its high 21 bits, and rows seen (0: empty slot). */
  private low = new Int32Array(INITIAL_SLOTS);
  private high = new Int32Array(INITIAL_SLOTS);
  private counts = new Int32Array(INITIAL_SLOTS);
  private used = 0;

  next(date: string, amountMinor: number, descriptionKey: string): number {
    hashState.h1 = 0xdeadbeef;
    hashState.h2 = 0x41c6ce57;
    feed(date);
    feed('\u0000');
    feed(String(amountMinor));
    feed('\u0000');
    feed(descriptionKey);
    let { h1, h2 } = hashState;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return this.bump(h1 | 0, h2 & 0x1fffff);
  }

  /** The count before this one of the hash (low, high), which is then counted. */
  private bump(low: number, high: number): number {
    const mask = this.counts.length - 1;
    let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    for (;;) {
      const count = this.counts[slot] as number;
      if (count === 0) break;
      if (this.low[slot] === low && this.high[slot] === high) {
        this.counts[slot] = count + 1;
        return count;
      }
      slot = (slot + 1) & mask;
    }
    this.low[slot] = low;
    this.high[slot] = high;
    this.counts[slot] = 1;
    this.used += 1;
    if (this.used * 2 > this.counts.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { low, high, counts } = this;
    const size = counts.length * 2;
    this.low = new Int32Array(size);
    this.high = new Int32Array(size);
    this.counts = new Int32Array(size);
    const mask = size - 1;
    for (let old = 0; old < counts.length; old++) {
      const count = counts[old] as number;
      if (count === 0) continue;
      const l = low[old] as number;
      const h = high[old] as number;
      let slot = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
      while (this.counts[slot] !== 0) slot = (slot + 1) & mask;
      this.low[slot] = l;
      this.high[slot] = h;
      this.counts[slot] = count;
    }
  }
}

const INITIAL_SLOTS = 1024;

/** The two 32-bit lanes of the hash being fed (one counter hashes at a time: no await). */
const hashState = { h1: 0, h2: 0 };

/** Two multiply-xorshift lanes over UTF-16 code units. */
function feed(text: string): void {
  let { h1, h2 } = hashState;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  hashState.h1 = h1;
  hashState.h2 = h2;
}
