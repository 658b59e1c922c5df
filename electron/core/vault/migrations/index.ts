import { coreMigration } from './001-core.migration.js';
import { ledgerMigration } from './002-ledger.migration.js';
import { invoicingMigration } from './003-invoicing.migration.js';
import { importMigration } from './004-import.migration.js';
import { settingsMigration } from './005-settings.migration.js';
import { depositsMigration } from './006-deposits.migration.js';
import { mergeMigration } from './007-merge.migration.js';
import { syncAccountMigration } from './008-sync-account.migration.js';
import { compactClocksMigration } from './009-compact-clocks.migration.js';
import { partialImportIndexMigration } from './010-partial-import-index.migration.js';
import { pushAcksMigration } from './011-push-acks.migration.js';
import { clocksInRowsMigration } from './012-clocks-in-rows.migration.js';
import { slimImportKeyIndexMigration } from './013-slim-import-key-index.migration.js';
import { partialCategoryIndexMigration } from './014-partial-category-index.migration.js';
import type { Migration } from './migration.js';

/** Every schema migration, in version order. Append new ones at the end; never reorder. */
export const MIGRATIONS: readonly Migration[] = [
  coreMigration,
  ledgerMigration,
  invoicingMigration,
  importMigration,
  settingsMigration,
  depositsMigration,
  mergeMigration,
  syncAccountMigration,
  compactClocksMigration,
  partialImportIndexMigration,
  pushAcksMigration,
  clocksInRowsMigration,
  slimImportKeyIndexMigration,
  partialCategoryIndexMigration,
];
