import { expect } from 'vitest';

/**
 * Fragments of the SQLite driver's own messages. None may reach a user: a driver message can
 * quote the statement and its values.
 */
const DRIVER_TEXT = [
  /SQLITE_/,
  /sqlite_master/i,
  /PRAGMA/i,
  /database disk image/i,
  /file is not a database/i,
  /database is locked/i,
  /readonly database/i,
  /disk I\/O error/i,
  /database or disk is full/i,
  /constraint failed/i,
  /unable to open/i,
  /\b(INSERT INTO|SELECT .* FROM|UPDATE \w+ SET|DELETE FROM|BEGIN IMMEDIATE)\b/i,
];

export function expectNoDriverText(text: string): void {
  for (const pattern of DRIVER_TEXT) expect(text, `driver text ${pattern}`).not.toMatch(pattern);
}
