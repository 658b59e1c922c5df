import type { Collection } from '../../../shared/sync/change.js';
import type { ChangePage, LoggedChange } from '../change-log.repository.js';

/** A row of the change log (migrations/008-change-log.ts) as both storage backends read it. */
export interface LogRow {
  seq: number;
  change_id: string;
  collection: string;
  key_version: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

export const toChange = (row: LogRow): LoggedChange => ({
  seq: row.seq,
  id: row.change_id,
  collection: row.collection as Collection,
  keyVersion: row.key_version,
  nonce: row.nonce.toString('base64url'),
  ciphertext: row.ciphertext.toString('base64url'),
});

/** base64url length of `bytes` bytes, without padding (as envelopes carry it). */
const base64urlChars = (bytes: number): number => Math.ceil((bytes * 4) / 3);

/**
 * A pull page from rows in seq order: at most `maxChanges`, and no more ciphertext than
 * `maxCiphertextChars` unless the first change alone is larger. Rows may be read lazily:
 * leaving the loop early closes the iterator (and a statement behind it) through return().
 */
export function toChangePage(
  rows: Iterable<LogRow>,
  bounds: { maxChanges: number; maxCiphertextChars: number },
): ChangePage {
  const changes: LoggedChange[] = [];
  let chars = 0;
  let more = false;
  for (const row of rows) {
    const size = base64urlChars(row.ciphertext.length);
    const full =
      changes.length >= bounds.maxChanges ||
      (changes.length > 0 && chars + size > bounds.maxCiphertextChars);
    if (full) {
      more = true;
      break;
    }
    chars += size;
    changes.push(toChange(row));
  }
  return { changes, more };
}
