import { createHash } from 'node:crypto';

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
 * The content key every imported row carries, whether or not it has a bank id: `hash:` +
 * SHA-256 of [accountId, date, amountMinor, descriptionKey, occurrence] as JSON. The
 * description key does not depend on the column mapping, so the same rows read another
 * way give the same keys; `occurrence` tells two real identical rows of one file apart.
 */
export function importKeyFor(
  accountId: string,
  date: string,
  amountMinor: number,
  descriptionKey: string,
  occurrence: number,
): string {
  return `hash:${sha256(JSON.stringify([accountId, date, amountMinor, descriptionKey, occurrence]))}`;
}

/**
 * Counts earlier rows of one file with the same (date, amount, description key). Keyed by
 * a 12-byte digest rather than the text, so a long statement's counter stays small.
 */
export class OccurrenceCounter {
  private readonly seen = new Map<string, number>();

  next(date: string, amountMinor: number, descriptionKey: string): number {
    const key = createHash('sha256')
      .update(`${date}\u0000${amountMinor}\u0000${descriptionKey}`, 'utf8')
      .digest('base64')
      .slice(0, 16);
    const occurrence = this.seen.get(key) ?? 0;
    this.seen.set(key, occurrence + 1);
    return occurrence;
  }
}
