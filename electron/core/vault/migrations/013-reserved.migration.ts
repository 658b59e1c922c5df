import type { Migration } from './migration.js';

/**
 * Version 13 is held for a schema change made alongside 14; until it lands, the step
 * changes nothing, so versions stay 1, 2, 3… in order. Whichever 13 is merged replaces
 * this one.
 */
export const reservedMigration13: Migration = {
  version: 13,
  name: 'reserved',
  up() {
    // nothing: see above
  },
};
