import { decodeCursor } from '../../audit/sign-in-history.js';
import { badRequest } from '../errors.js';

/** The audit position a `cursor` query names (pages go back from it), or undefined for the first page. */
export function beforeSeqOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (decoded === null) throw badRequest('INVALID_CURSOR', 'query.cursor is not valid');
  return decoded;
}
