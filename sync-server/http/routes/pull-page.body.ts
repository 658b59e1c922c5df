import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { PullAnswer } from '../../sync/change-log.service.js';

/**
 * The body of a pull answer (pullResponseSchema), made here instead of by the route's
 * schema serializer. A page is about a megabyte of base64url; the serializer builds it by
 * concatenating strings, and Node then has to flatten that string to measure its length and
 * encode it again to write it, which cost more than reading the page from the database.
 * `JSON.stringify` makes one flat string, turned into bytes once. Only the schema's fields
 * are copied out, by name, so nothing else a page object may carry ever reaches a client.
 */
export function pullPageBody(page: PullAnswer, role: WorkspaceRole): Buffer {
  const body = {
    epoch: page.epoch,
    changes: page.changes.map((change) => ({
      seq: change.seq,
      id: change.id,
      collection: change.collection,
      keyVersion: change.keyVersion,
      nonce: change.nonce,
      ciphertext: change.ciphertext,
    })),
    nextAfter: page.nextAfter,
    more: page.more,
    role,
    snapshot:
      page.snapshot === null
        ? null
        : { seq: page.snapshot.seq, createdAt: page.snapshot.createdAt },
  };
  return jsonBytes(JSON.stringify(body));
}

/**
 * `json` as UTF-8. Node 20 encodes a long string to UTF-8 at a few hundred MB/s; a page is
 * all ASCII (ids, labels, base64url), whose UTF-8 bytes are its Latin-1 bytes, written many
 * times faster. A string is ASCII exactly when its UTF-8 length is its length in UTF-16
 * units (every other character takes more bytes than units), which V8 counts quickly.
 */
function jsonBytes(json: string): Buffer {
  const ascii = Buffer.byteLength(json, 'utf8') === json.length;
  return Buffer.from(json, ascii ? 'latin1' : 'utf8');
}

export const PULL_PAGE_CONTENT_TYPE = 'application/json; charset=utf-8';
