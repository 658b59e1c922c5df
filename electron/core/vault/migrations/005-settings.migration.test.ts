import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const NOW = 1_735_689_600_000;
const CLIENT = '01940000-0000-7000-8000-00000000c001';
const ATTACHMENT = '01940000-0000-7000-8000-00000000d001';
const HASH = '$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 4 });
  temp.db
    .prepare(
      `INSERT INTO clients (id, name, address, created_at, updated_at) VALUES (?, 'Acme', '1 Main St', ?, ?)`,
    )
    .run(CLIENT, NOW, NOW);
  temp.db
    .prepare(
      `INSERT INTO attachments (id, file_name, mime_type, size, sha256, content, created_at, updated_at)
       VALUES (?, 'logo.png', 'image/png', 1, ?, x'89', ?, ?)`,
    )
    .run(ATTACHMENT, 'a'.repeat(64), NOW, NOW);
});

afterEach(() => temp.cleanup());

function migrate(): void {
  runMigrations(temp.db, MIGRATIONS, { target: 5 });
}

function fails(sql: string, ...params: unknown[]): boolean {
  try {
    temp.db.prepare(sql).run(...params);
    return false;
  } catch {
    return true;
  }
}

describe('migration 005 (settings)', () => {
  it('keeps what version 4 held and starts with no profile, preferences or passcode', () => {
    migrate();
    expect(schemaVersion(temp.db)).toBe(5);
    expect(temp.db.prepare('SELECT name, address FROM clients').get()).toEqual({
      name: 'Acme',
      address: '1 Main St',
    });
    for (const table of ['document_profile', 'device_preferences', 'app_lock']) {
      expect(temp.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
  });

  it('holds one profile row, under its fixed record id, with whole payment instructions', () => {
    migrate();
    temp.db.pragma('foreign_keys = ON');
    const insert = `INSERT INTO document_profile (id, name, logo_attachment_id, payment_method, payment_details, updated_at)
                    VALUES (?, 'Zoë', ?, ?, ?, ?)`;
    expect(fails(insert, 'other-id', null, null, null, NOW)).toBe(true);
    expect(fails(insert, 'document-profile', null, 'bank_transfer', null, NOW)).toBe(true);
    expect(fails(insert, 'document-profile', 'no-such-attachment', null, null, NOW)).toBe(true);
    expect(fails(insert, 'document-profile', ATTACHMENT, 'bank_transfer', 'IBAN', NOW)).toBe(false);
    expect(fails(insert, 'document-profile', null, null, null, NOW)).toBe(true);
  });

  it('stores device preferences in one row, with a known theme', () => {
    migrate();
    const insert = `INSERT INTO device_preferences (id, locale, theme) VALUES (?, ?, ?)`;
    expect(fails(insert, 1, 'de-DE', 'sepia')).toBe(true);
    expect(fails(insert, 2, 'de-DE', 'dark')).toBe(true);
    expect(fails(insert, 1, 'de-DE', 'dark')).toBe(false);
  });

  it('stores the app passcode only as an Argon2id hash, with idle minutes in 1–240', () => {
    migrate();
    const insert = `INSERT INTO app_lock (id, passcode_hash, idle_minutes) VALUES (1, ?, ?)`;
    expect(fails(insert, '123456', 5)).toBe(true);
    expect(fails(insert, HASH, 0)).toBe(true);
    expect(fails(insert, HASH, 241)).toBe(true);
    expect(fails(insert, HASH, 5)).toBe(false);
    expect(temp.db.prepare('SELECT failed_attempts, retry_after FROM app_lock').get()).toEqual({
      failed_attempts: 0,
      retry_after: null,
    });
  });
});
