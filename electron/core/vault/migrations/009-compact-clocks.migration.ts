import type { Migration } from './migration.js';

/**
 * Record clocks are written in the compact form of sync/field-clocks.ts (base-36 HLCs
 * grouped by change, a code for a new record's whole field list). No table changes, and the
 * JSON form written before still reads and is rewritten on the record's next write. The
 * version bump is the point: a build from before this one cannot read compact clocks, so it
 * must refuse the vault as too new (VAULT_TOO_NEW) rather than open it and fail on its
 * first edit.
 */
export const compactClocksMigration: Migration = {
  version: 9,
  name: 'compact-clocks',
  up() {},
};
