import type { Migration } from './migration.js';

/**
 * Version 10 belongs to the vault write-speed change, developed beside this one; versions
 * must run 1, 2, 3… so this stands in for it until both are merged, and changes nothing.
 * Whoever merges keeps that change's migration 010 and drops this file.
 */
export const reservedMigration010: Migration = {
  version: 10,
  name: 'reserved',
  up() {},
};
