import { compactHlc } from '../../sync/field-clocks.js';
import type { Migration } from './migration.js';

/**
 * Sync's own bookkeeping gets small enough that a synced vault costs about what a local one
 * does (docs/sync-merge.md, "Where clocks live"):
 *
 * - `sync_clocks`: each synced record's field clocks in its own row, a local column that
 *   is never a field of a change nor exported. Every `record_clocks` row whose record exists
 *   moves there; the rest (clocks of a record this vault does not hold) stay in
 *   `record_clocks`, which remains the fallback.
 * - `sync_devices`: this vault's small numbers for device ids, which clocks write instead
 *   of the 36-character id. Empty here: refs are only created outside transactions.
 * - `sync_seen_hlcs` replaces `sync_applied`: an applied change is recognised by its HLC
 *   still stamping a field of its record, and only the HLCs that stamp none are listed here
 *   (compact form). Every HLC `sync_applied` held moves in: which still stamp a field is not
 *   worth finding out once.
 *
 * The tables are named here, not read from RECORD_SPECS: a migration must stay what it was
 * when a later version adds a collection.
 */
const RECORD_TABLES: readonly (readonly [table: string, collection: string])[] = [
  ['attachments', 'attachments'],
  ['document_profile', 'settings'],
  ['accounts', 'accounts'],
  ['categories', 'categories'],
  ['payees', 'payees'],
  ['transactions', 'transactions'],
  ['transaction_reviews', 'transaction_reviews'],
  ['payee_rules', 'payee_rules'],
  ['import_profiles', 'import_profiles'],
  ['account_bank_ids', 'account_bank_ids'],
  ['budgets', 'budgets'],
  ['clients', 'clients'],
  ['recurring_schedules', 'recurring_schedules'],
  ['quotes', 'quotes'],
  ['invoices', 'invoices'],
  ['payments', 'payments'],
  ['contracts', 'contracts'],
  ['receipts', 'receipts'],
];

export const clocksInRowsMigration: Migration = {
  version: 12,
  name: 'clocks-in-rows',
  up(db) {
    for (const [table, collection] of RECORD_TABLES) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN sync_clocks TEXT`);
      db.prepare(
        `UPDATE ${table} SET sync_clocks = rc.clocks FROM record_clocks AS rc
         WHERE rc.collection = ? AND rc.record_id = ${table}.id`,
      ).run(collection);
      db.prepare(
        `DELETE FROM record_clocks
         WHERE collection = ? AND record_id IN (SELECT id FROM ${table})`,
      ).run(collection);
    }
    db.exec(`
      CREATE TABLE sync_devices (
        ref       INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE TABLE sync_seen_hlcs (
        hlc TEXT PRIMARY KEY NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
    const insert = db.prepare('INSERT INTO sync_seen_hlcs (hlc) VALUES (?) ON CONFLICT DO NOTHING');
    const applied = db.prepare('SELECT DISTINCT hlc FROM sync_applied').pluck();
    for (const hlc of applied.all() as string[]) insert.run(compactHlc(hlc));
    db.exec('DROP TABLE sync_applied');
  },
};
