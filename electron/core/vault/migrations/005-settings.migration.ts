import type { Migration } from './migration.js';

/**
 * Settings.
 *
 * - `document_profile`: who invoices and quotes come from (name, address, contacts, tax id,
 *   logo, default payment instructions). One row whose id is the fixed record id
 *   `document-profile`, synced as the `settings` collection: two devices that both edit it
 *   offline write the same record, and the merge settles it field by field. Absent until
 *   first saved.
 * - `device_preferences` and `app_lock`: this device's locale, theme and app passcode. They
 *   are device state, not records: never synced, never exported. `app_lock` holds the
 *   passcode only as an Argon2id PHC string, plus the wrong-attempt count and the time
 *   before which no passcode is checked, so the attempt limit holds across restarts.
 */
const DEVICE_ROW = `id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1)`;

const SQL = `
CREATE TABLE document_profile (
  id               TEXT PRIMARY KEY NOT NULL CHECK (id = 'document-profile'),
  name             TEXT NOT NULL DEFAULT '',
  address          TEXT,
  email            TEXT,
  phone            TEXT,
  tax_id           TEXT,
  logo_attachment_id TEXT REFERENCES attachments(id),
  payment_method   TEXT CHECK (payment_method IS NULL OR payment_method IN
                     ('bank_transfer', 'card', 'paypal', 'stripe', 'zelle', 'cash', 'check', 'other')),
  payment_details  TEXT,
  updated_at       INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  CHECK ((payment_method IS NULL) = (payment_details IS NULL))
);

CREATE TABLE device_preferences (
  ${DEVICE_ROW},
  locale TEXT CHECK (locale IS NULL OR length(locale) BETWEEN 1 AND 100),
  theme  TEXT NOT NULL DEFAULT 'system' CHECK (theme IN ('light', 'dark', 'system'))
);

CREATE TABLE app_lock (
  ${DEVICE_ROW},
  passcode_hash   TEXT NOT NULL CHECK (passcode_hash LIKE '$argon2id$%'),
  idle_minutes    INTEGER NOT NULL CHECK (typeof(idle_minutes) = 'integer' AND idle_minutes BETWEEN 1 AND 240),
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (typeof(failed_attempts) = 'integer' AND failed_attempts >= 0),
  retry_after     INTEGER CHECK (retry_after IS NULL OR typeof(retry_after) = 'integer')
);
`;

export const settingsMigration: Migration = {
  version: 5,
  name: 'settings',
  up(db) {
    db.exec(SQL);
  },
};
