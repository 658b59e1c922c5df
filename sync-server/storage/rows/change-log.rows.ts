import type { Collection } from '../../../shared/sync/change.js';
import type { LoggedChange } from '../change-log.repository.js';

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
