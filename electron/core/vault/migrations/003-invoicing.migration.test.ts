import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const NOW = 1_735_689_600_000;
const ACCOUNT = '01940000-0000-7000-8000-00000000a001';
const TX = '01940000-0000-7000-8000-00000000b001';
const ATTACHMENT = '01940000-0000-7000-8000-00000000c001';
const CLIENT = '01940000-0000-7000-8000-00000000d001';
const INVOICE = '01940000-0000-7000-8000-00000000e001';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 2 });
  const { db } = temp;
  db.prepare(`INSERT INTO meta (key, value) VALUES ('vault_id', 'v-1')`).run();
  db.prepare(
    `INSERT INTO accounts (id, name, currency, kind, opening_balance_minor, created_at, updated_at)
     VALUES (?, 'Checking', 'USD', 'checking', 12345, ?, ?)`,
  ).run(ACCOUNT, NOW, NOW);
  db.prepare(
    `INSERT INTO transactions (id, account_id, date, amount_minor, currency, notes, created_at, updated_at)
     VALUES (?, ?, '2025-01-02', -4200, 'USD', 'coffee', ?, ?)`,
  ).run(TX, ACCOUNT, NOW, NOW);
  db.prepare(
    `INSERT INTO attachments (id, file_name, mime_type, size, sha256, content, created_at, updated_at)
     VALUES (?, 'r.png', 'image/png', 3, ?, x'010203', ?, ?)`,
  ).run(ATTACHMENT, 'a'.repeat(64), NOW, NOW);
});

afterEach(() => temp.cleanup());

function tables(): string[] {
  return temp.db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];
}

function insertClient(id = CLIENT): void {
  temp.db
    .prepare(`INSERT INTO clients (id, name, created_at, updated_at) VALUES (?, 'Acme', ?, ?)`)
    .run(id, NOW, NOW);
}

function insertInvoice(values: Partial<Record<string, unknown>> = {}): void {
  const row = {
    id: INVOICE,
    client_id: CLIENT,
    number: null,
    currency: 'USD',
    issue_date: null,
    due_date: null,
    status: 'draft',
    ...values,
  };
  temp.db
    .prepare(
      `INSERT INTO invoices (id, client_id, number, currency, issue_date, due_date, status, created_at, updated_at)
       VALUES (@id, @client_id, @number, @currency, @issue_date, @due_date, @status, ${NOW}, ${NOW})`,
    )
    .run(row);
}

describe('migration 003-invoicing', () => {
  it('migrates a version-2 database to 3 with every invoicing table, keeping old rows', () => {
    expect(schemaVersion(temp.db)).toBe(2);
    expect(runMigrations(temp.db, MIGRATIONS, { target: 3 })).toEqual([3]);
    expect(schemaVersion(temp.db)).toBe(3);
    expect(tables()).toEqual(
      expect.arrayContaining([
        'clients',
        'quotes',
        'quote_lines',
        'invoices',
        'invoice_lines',
        'payments',
        'payment_allocations',
        'recurring_schedules',
        'recurring_lines',
        'contracts',
        'receipts',
        'invoice_counter',
      ]),
    );
    expect(temp.db.prepare('SELECT name, opening_balance_minor FROM accounts').get()).toEqual({
      name: 'Checking',
      opening_balance_minor: 12345,
    });
    expect(temp.db.prepare('SELECT amount_minor, notes FROM transactions').get()).toEqual({
      amount_minor: -4200,
      notes: 'coffee',
    });
    expect(temp.db.prepare('SELECT count(*) FROM attachments').pluck().get()).toBe(1);
    expect(temp.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('vault_id')).toBe(
      'v-1',
    );
    expect(temp.db.pragma('foreign_key_check')).toEqual([]);
    expect(temp.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  describe('constraints', () => {
    beforeEach(() => {
      runMigrations(temp.db, MIGRATIONS, { target: 3 });
      insertClient();
    });

    it('keeps invoice numbers unique while allowing many drafts without one', () => {
      insertInvoice();
      insertInvoice({ id: '01940000-0000-7000-8000-00000000e002' });
      insertInvoice({
        id: '01940000-0000-7000-8000-00000000e003',
        number: 'INV-0001',
        status: 'sent',
        issue_date: '2025-01-01',
      });
      expect(() =>
        insertInvoice({
          id: '01940000-0000-7000-8000-00000000e004',
          number: 'INV-0001',
          status: 'sent',
          issue_date: '2025-01-01',
        }),
      ).toThrow(/UNIQUE/);
    });

    it('refuses unknown statuses, bad dates, bad currency codes and unknown clients', () => {
      expect(() => insertInvoice({ status: 'overdue' })).toThrow(/CHECK/);
      expect(() => insertInvoice({ issue_date: '2025/01/01' })).toThrow(/CHECK/);
      expect(() => insertInvoice({ currency: 'usd' })).toThrow(/CHECK/);
      expect(() => insertInvoice({ issue_date: '2025-02-01', due_date: '2025-01-01' })).toThrow(
        /CHECK/,
      );
      expect(() => insertInvoice({ client_id: '01940000-0000-7000-8000-0000000000ff' })).toThrow(
        /FOREIGN KEY/,
      );
    });

    it('stores line money only as integers within range', () => {
      insertInvoice();
      const line = temp.db.prepare(
        `INSERT INTO invoice_lines (id, invoice_id, position, description, quantity_milli, unit_price_minor, tax_rate_ppm, discount_ppm)
         VALUES (?, ?, ?, 'Work', ?, ?, ?, ?)`,
      );
      line.run('l1', INVOICE, 0, 1500, 9999, 88_750, 0);
      expect(() => line.run('l2', INVOICE, 1, 1500, 99.99, 0, 0)).toThrow(/CHECK/);
      expect(() => line.run('l3', INVOICE, 2, 0, 100, 0, 0)).toThrow(/CHECK/);
      expect(() => line.run('l4', INVOICE, 3, 1000, -1, 0, 0)).toThrow(/CHECK/);
      expect(() => line.run('l5', INVOICE, 4, 1000, 1, 1_000_001, 0)).toThrow(/CHECK/);
      expect(() => line.run('l6', INVOICE, 0, 1000, 1, 0, 0)).toThrow(/UNIQUE/);
    });

    it('ties payments to invoices and accounts, and receipts to attachments and transactions', () => {
      insertInvoice({
        number: 'INV-0001',
        status: 'sent',
        issue_date: '2025-01-01',
      });
      const payment = temp.db.prepare(
        `INSERT INTO payments (id, client_id, date, amount_minor, currency, method, account_id, created_at, updated_at)
         VALUES (?, ?, '2025-01-05', ?, 'USD', ?, ?, ${NOW}, ${NOW})`,
      );
      payment.run('p1', CLIENT, 500, 'zelle', ACCOUNT);
      expect(() => payment.run('p2', CLIENT, 0, 'zelle', null)).toThrow(/CHECK/);
      expect(() => payment.run('p3', CLIENT, 5, 'bitcoin', null)).toThrow(/CHECK/);
      expect(() => payment.run('p4', CLIENT, 5, 'cash', 'no-such-account')).toThrow(/FOREIGN KEY/);
      const allocate = temp.db.prepare(
        'INSERT INTO payment_allocations (payment_id, invoice_id, position, amount_minor) VALUES (?, ?, 0, ?)',
      );
      allocate.run('p1', INVOICE, 500);
      expect(() => allocate.run('p1', 'no-such-invoice', 1)).toThrow(/FOREIGN KEY/);

      const receipt = temp.db.prepare(
        `INSERT INTO receipts (id, transaction_id, date, merchant, amount_minor, currency, attachment_id, created_at, updated_at)
         VALUES (?, ?, '2025-01-02', 'Cafe', ?, ?, ?, ${NOW}, ${NOW})`,
      );
      receipt.run('r1', TX, 4200, 'USD', ATTACHMENT);
      receipt.run('r2', null, null, null, ATTACHMENT);
      expect(() => receipt.run('r3', null, 4200, null, ATTACHMENT)).toThrow(/CHECK/);
      expect(() => receipt.run('r4', null, null, null, 'no-such-attachment')).toThrow(
        /FOREIGN KEY/,
      );
    });

    it('keeps a converted quote linked to its invoice', () => {
      const quote = temp.db.prepare(
        `INSERT INTO quotes (id, client_id, currency, issue_date, status, converted_invoice_id, created_at, updated_at)
         VALUES (?, ?, 'USD', '2025-01-01', ?, ?, ${NOW}, ${NOW})`,
      );
      expect(() => quote.run('q1', CLIENT, 'converted', null)).toThrow(/CHECK/);
      insertInvoice();
      quote.run('q2', CLIENT, 'converted', INVOICE);
      quote.run('q3', CLIENT, 'draft', null);
    });

    it('starts the local numbering counter empty', () => {
      expect(temp.db.prepare('SELECT count(*) FROM invoice_counter').pluck().get()).toBe(0);
    });
  });
});
