import type { Migration } from './migration.js';

/**
 * Requested deposits on quotes and invoices: the amount in minor units of the document's
 * currency, the percentage it was asked as (parts per million; null for a fixed amount) and
 * its due date; on recurring schedules, the same template with the due date as days after
 * each invoice's issue date. The tables are synced, so the change is additive only: new
 * nullable columns, all null on records written before, which therefore ask for no deposit. A
 * percentage always comes with the amount it was converted to; a due date only with a
 * deposit. The checks against the document's total and due date are the services' (a
 * total is derived from the lines, which SQL does not sum).
 */
function depositColumns(table: string): string {
  return `
ALTER TABLE ${table} ADD COLUMN deposit_minor INTEGER
  CHECK (deposit_minor IS NULL OR (typeof(deposit_minor) = 'integer' AND deposit_minor > 0));
ALTER TABLE ${table} ADD COLUMN deposit_ppm INTEGER
  CHECK (deposit_ppm IS NULL OR (typeof(deposit_ppm) = 'integer' AND deposit_ppm BETWEEN 1 AND 1000000 AND deposit_minor IS NOT NULL));
ALTER TABLE ${table} ADD COLUMN deposit_due_date TEXT
  CHECK (deposit_due_date IS NULL OR (deposit_due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND deposit_minor IS NOT NULL));
`;
}

const SCHEDULE_DEPOSIT = `
ALTER TABLE recurring_schedules ADD COLUMN deposit_minor INTEGER
  CHECK (deposit_minor IS NULL OR (typeof(deposit_minor) = 'integer' AND deposit_minor > 0));
ALTER TABLE recurring_schedules ADD COLUMN deposit_ppm INTEGER
  CHECK (deposit_ppm IS NULL OR (typeof(deposit_ppm) = 'integer' AND deposit_ppm BETWEEN 1 AND 1000000 AND deposit_minor IS NOT NULL));
ALTER TABLE recurring_schedules ADD COLUMN deposit_due_days INTEGER
  CHECK (deposit_due_days IS NULL OR (typeof(deposit_due_days) = 'integer' AND deposit_due_days BETWEEN 0 AND due_days AND deposit_minor IS NOT NULL));
`;

export const depositsMigration: Migration = {
  version: 6,
  name: 'deposits',
  up(db) {
    db.exec(depositColumns('quotes') + depositColumns('invoices') + SCHEDULE_DEPOSIT);
  },
};
