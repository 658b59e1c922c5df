import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const NOW = 1_735_689_600_000;
const CLIENT = '01940000-0000-7000-8000-00000000c001';
const QUOTE = '01940000-0000-7000-8000-00000000a001';
const INVOICE = '01940000-0000-7000-8000-00000000b001';
const OTHER = '01940000-0000-7000-8000-00000000b002';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 5 });
  const db = temp.db;
  db.prepare(`INSERT INTO clients (id, name, created_at, updated_at) VALUES (?, 'Acme', ?, ?)`).run(
    CLIENT,
    NOW,
    NOW,
  );
  db.prepare(
    `INSERT INTO quotes (id, client_id, currency, issue_date, status, created_at, updated_at)
     VALUES (?, ?, 'EUR', '2025-01-01', 'draft', ?, ?)`,
  ).run(QUOTE, CLIENT, NOW, NOW);
  db.prepare(
    `INSERT INTO invoices (id, client_id, number, currency, issue_date, due_date, status, created_at, updated_at)
     VALUES (?, ?, 'INV-0001', 'EUR', '2025-01-01', '2025-01-31', 'sent', ?, ?)`,
  ).run(INVOICE, CLIENT, NOW, NOW);
});

afterEach(() => temp.cleanup());

function migrate(): void {
  runMigrations(temp.db, MIGRATIONS, { target: 6 });
}

function fails(sql: string, ...params: unknown[]): boolean {
  try {
    temp.db.prepare(sql).run(...params);
    return false;
  } catch {
    return true;
  }
}

describe('migration 006 (deposits)', () => {
  it('keeps every quote and invoice of version 5, asking for no deposit', () => {
    migrate();
    expect(schemaVersion(temp.db)).toBe(6);
    for (const table of ['quotes', 'invoices']) {
      expect(
        temp.db.prepare(`SELECT deposit_minor, deposit_ppm, deposit_due_date FROM ${table}`).all(),
        table,
      ).toEqual([{ deposit_minor: null, deposit_ppm: null, deposit_due_date: null }]);
    }
    expect(temp.db.prepare('SELECT number, due_date FROM invoices').get()).toEqual({
      number: 'INV-0001',
      due_date: '2025-01-31',
    });
  });

  it('adds nullable columns only, so a device on version 5 can still sync the tables', () => {
    migrate();
    for (const table of ['quotes', 'invoices', 'recurring_schedules']) {
      const columns = temp.db.pragma(`table_info(${table})`) as {
        name: string;
        notnull: number;
        dflt_value: unknown;
      }[];
      const added = columns.filter((c) => c.name.startsWith('deposit_'));
      expect(added.map((c) => c.name).sort(), table).toEqual(
        table === 'recurring_schedules'
          ? ['deposit_due_days', 'deposit_minor', 'deposit_ppm']
          : ['deposit_due_date', 'deposit_minor', 'deposit_ppm'],
      );
      expect(added.every((c) => c.notnull === 0 && c.dflt_value === null)).toBe(true);
    }
  });

  it('stores a deposit only as positive whole minor units, a ppm in 1–1000000 and a date', () => {
    migrate();
    const set = `UPDATE invoices SET deposit_minor = ?, deposit_ppm = ?, deposit_due_date = ? WHERE id = ?`;
    expect(fails(set, 0, null, null, INVOICE)).toBe(true);
    expect(fails(set, -5, null, null, INVOICE)).toBe(true);
    expect(fails(set, 12.5, null, null, INVOICE)).toBe(true);
    expect(fails(set, 500, 0, null, INVOICE)).toBe(true);
    expect(fails(set, 500, 1_000_001, null, INVOICE)).toBe(true);
    expect(fails(set, 500, null, '31/01/2025', INVOICE)).toBe(true);
    expect(fails(set, null, 250_000, null, INVOICE)).toBe(true);
    expect(fails(set, null, null, '2025-01-15', INVOICE)).toBe(true);
    expect(fails(set, 500, 250_000, '2025-01-15', INVOICE)).toBe(false);
    expect(fails(set, 500, null, null, QUOTE)).toBe(false);
    const setQuote = `UPDATE quotes SET deposit_minor = ?, deposit_ppm = ? WHERE id = ?`;
    expect(fails(setQuote, 0, null, QUOTE)).toBe(true);
    expect(fails(setQuote, 700, 100_000, QUOTE)).toBe(false);
    expect(
      fails(
        `INSERT INTO invoices (id, client_id, currency, status, deposit_minor, created_at, updated_at)
         VALUES (?, ?, 'EUR', 'draft', 1.5, ?, ?)`,
        OTHER,
        CLIENT,
        NOW,
        NOW,
      ),
    ).toBe(true);
  });
});
