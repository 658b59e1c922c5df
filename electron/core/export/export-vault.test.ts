import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { Change } from '../../../shared/sync/change.js';
import { AttachmentService } from '../attachments/attachment.service.js';
import { createInvoicingServices } from '../invoicing/invoicing-services.js';
import { AccountService } from '../ledger/account.service.js';
import { BalanceService } from '../ledger/balance.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import type { Vault } from '../vault/vault.js';
import { MIGRATIONS } from '../vault/migrations/index.js';
import { EXPORTED_TABLES, NOT_EXPORTED_TABLES } from './export-tables.js';
import {
  CONTRACT_BYTES,
  RECEIPT_BYTES,
  createPopulatedVault,
  type PopulatedVault,
} from './export-test-vault.js';
import { exportVault, writeExport } from './export-vault.js';
import { ExportRepository } from './export.repository.js';
import { importExport, readExportFile } from './import-export.js';
import type { ExportDocument } from './export-document.js';

let source: PopulatedVault;
let target: TempVault;
let dir: string;

beforeEach(async () => {
  source = await createPopulatedVault();
  target = await createTempVault({ outbox: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-export-'));
});

afterEach(() => {
  source.cleanup();
  target.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const withoutTime = ({ exportedAt: _ignored, ...rest }: ExportDocument) => rest;
const count = (vault: Vault, table: string) =>
  Number(vault.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());

function expectError(fn: () => unknown, code: string): CofferError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CofferError);
    expect((err as CofferError).code).toBe(code);
    return err as CofferError;
  }
  throw new Error(`expected ${code}`);
}

function outbox(vault: Vault): Change[] {
  return vault.changes.pending(1_000_000).map((entry) => entry.change);
}

describe('exportVault', () => {
  it('covers every table of the vault: exported, or excluded on purpose', () => {
    const tables = new ExportRepository(source.vault.db).tableNames();
    const decided = new Set<string>([...EXPORTED_TABLES, ...NOT_EXPORTED_TABLES]);
    expect(tables.filter((t) => !decided.has(t))).toEqual([]);
    expect(EXPORTED_TABLES.filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('holds every live record and no tombstones, keys, ids of the vault or sync state', async () => {
    const doc = exportVault(source.vault);
    expect(doc).toMatchObject({
      format: 'coffer-export',
      version: 1,
      schemaVersion: MIGRATIONS.length,
    });
    expect(Object.keys(doc.collections)).toEqual([...EXPORTED_TABLES]);
    for (const table of EXPORTED_TABLES) {
      const live = source.vault.db
        .prepare(`SELECT count(*) FROM pragma_table_info('${table}') WHERE name = 'deleted_at'`)
        .pluck()
        .get()
        ? count(source.vault, `${table} WHERE deleted_at IS NULL`)
        : count(source.vault, table);
      if (
        table === 'quote_lines' ||
        table === 'invoice_lines' ||
        table === 'recurring_lines' ||
        table === 'transaction_splits' ||
        table === 'payment_allocations' ||
        table === 'invoice_counter'
      ) {
        expect(doc.collections[table]?.length, table).toBe(count(source.vault, table));
      } else {
        expect(doc.collections[table]?.length, table).toBe(live);
      }
      expect(doc.collections[table]?.length, `${table} is empty in the test vault`).toBeGreaterThan(
        0,
      );
      for (const row of doc.collections[table] ?? []) expect(row.deleted_at ?? null).toBeNull();
    }
    const json = JSON.stringify(doc);
    expect(json).not.toContain(source.vault.vaultId);
    expect(json).not.toContain(source.vault.deviceId);
    expect(json).not.toContain('"amount_minor":-99,'); // the deleted transaction
    expect(json).not.toContain('Unused'); // the deleted category
    expect(json).not.toContain('"Dropped"'); // the deleted receipt
    expect(json).not.toContain('"x.png"'); // and its attachment
    expect(json).not.toMatch(/"(hlc|base|fields_json|key)"/);
    const key = await source.keyStore.get(source.vault.vaultId);
    expect(key).not.toBeNull();
    expect(json).not.toContain(key?.toString('hex'));
    expect(json).not.toContain(key?.toString('base64'));
  });

  it('carries attachment bytes as base64', () => {
    const doc = exportVault(source.vault);
    const contents = (doc.collections.attachments ?? []).map((a) =>
      Buffer.from(String(a.content), 'base64'),
    );
    expect(contents).toContainEqual(RECEIPT_BYTES);
    expect(contents).toContainEqual(CONTRACT_BYTES);
  });

  it('round-trips: export, import into an empty vault, export again gives the same document', () => {
    const first = exportVault(source.vault);
    const counts = importExport(target.vault, JSON.parse(JSON.stringify(first)));
    expect(counts.transactions).toBe(first.collections.transactions?.length);
    const second = exportVault(target.vault);
    expect(withoutTime(second)).toEqual(withoutTime(first));

    // The restored vault works through the services.
    const balances = new BalanceService(target.vault).balances({ includeArchived: true });
    expect(balances).toEqual(new BalanceService(source.vault).balances({ includeArchived: true }));
    expect(balances.find((b) => b.name === 'Checking')?.balanceMinor).toBe(
      100_000 - 1250 - 10_000 + 250_000,
    );
    const attachments = new AttachmentService(target.vault);
    const receipt = attachments.list().find((a) => a.fileName === 'receipt.png');
    expect(attachments.readContent(receipt?.id ?? '')).toEqual(RECEIPT_BYTES);
    const invoicing = createInvoicingServices(target.vault);
    const issued = invoicing.invoices.get('INV-0001', '2025-03-10');
    expect(issued).toEqual(source.services.invoices.get('INV-0001', '2025-03-10'));
    expect(issued.effectiveStatus).toBe('partially_paid');
    // The deposit asked on the quote (30 % of 1500.00) came through on its invoice.
    const converted = invoicing.invoices.list().find((i) => i.quoteId !== null);
    expect(converted).toMatchObject({
      depositMinor: 45_000,
      depositPpm: 300_000,
      depositDueDate: '2025-03-10',
    });
    expect(invoicing.recurring.list()[0]).toMatchObject({
      depositMinor: 50_000,
      depositDueDays: 5,
    });
    // Numbering carries on without reusing an issued number.
    const next = invoicing.invoices.createDraft({
      client: 'Globex',
      lines: [{ description: 'x', quantityMilli: 1000, unitPriceMinor: 1 }],
    });
    expect(invoicing.invoices.issue(next.id).number).toBe('INV-0002');
  });

  it('records one change per restored record, with the fields the services record', () => {
    const doc = exportVault(source.vault);
    importExport(target.vault, doc);

    // What the services said about each live record, folded over its changes.
    const expected = new Map<string, Record<string, unknown>>();
    const deleted = new Set<string>();
    for (const change of outbox(source.vault)) {
      const key = `${change.collection}/${change.recordId}`;
      if (change.op === 'delete') deleted.add(key);
      else expected.set(key, { ...expected.get(key), ...change.fields });
    }
    for (const key of deleted) expected.delete(key);

    const restored = outbox(target.vault);
    expect(restored.every((c) => c.op === 'upsert' && c.deviceId === target.vault.deviceId)).toBe(
      true,
    );
    const actual = new Map(restored.map((c) => [`${c.collection}/${c.recordId}`, c.fields]));
    expect(actual.size).toBe(restored.length);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, fields] of expected) expect(actual.get(key), key).toEqual(fields);
  });

  it('refuses a vault that is not empty, writing nothing', () => {
    const doc = exportVault(source.vault);
    new AccountService(target.vault).create({ name: 'Existing', currency: 'USD' });
    const before = count(target.vault, 'outbox');
    const err = expectError(() => importExport(target.vault, doc), 'INVALID_STATE');
    expect(err.message).toMatch(/not empty .*accounts/);
    expect(count(target.vault, 'outbox')).toBe(before);
    expect(count(target.vault, 'accounts')).toBe(1);
  });

  it('validates the document and writes nothing when it is wrong', () => {
    const good = exportVault(source.vault);
    const mutate = (fn: (doc: ExportDocument) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(good)) as ExportDocument;
      fn(copy);
      return copy;
    };
    const cases: [string, unknown, string][] = [
      ['not an object', 'hello', 'INVALID_INPUT'],
      ['wrong format', mutate((d) => Object.assign(d, { format: 'other' })), 'INVALID_INPUT'],
      ['newer schema', mutate((d) => Object.assign(d, { schemaVersion: 99 })), 'INVALID_INPUT'],
      ['extra top-level key', mutate((d) => Object.assign(d, { keys: {} })), 'INVALID_INPUT'],
      [
        'engine table',
        mutate((d) => Object.assign(d.collections, { outbox: [] })),
        'INVALID_INPUT',
      ],
      [
        'unknown column',
        mutate((d) => Object.assign(d.collections.accounts?.[0] ?? {}, { secret: 'x' })),
        'INVALID_INPUT',
      ],
      [
        'float amount',
        mutate((d) => Object.assign(d.collections.transactions?.[0] ?? {}, { amount_minor: 12.5 })),
        'INVALID_INPUT',
      ],
      [
        'bad currency',
        mutate((d) => Object.assign(d.collections.accounts?.[0] ?? {}, { currency: 'usd' })),
        'INVALID_INPUT',
      ],
      [
        'bad base64',
        mutate((d) => Object.assign(d.collections.attachments?.[0] ?? {}, { content: '***' })),
        'INVALID_INPUT',
      ],
      [
        'tampered attachment',
        mutate((d) =>
          Object.assign(d.collections.attachments?.[0] ?? {}, {
            content: Buffer.from('evil').toString('base64'),
          }),
        ),
        'INVALID_INPUT',
      ],
      [
        'dangling reference',
        mutate((d) => Object.assign(d.collections, { clients: [] })),
        'INVALID_INPUT',
      ],
    ];
    for (const [name, doc, code] of cases) {
      const err = expectError(() => importExport(target.vault, doc), code);
      expect(err.message.length, name).toBeGreaterThan(0);
      for (const table of [...EXPORTED_TABLES, 'outbox', 'record_clocks'])
        expect(count(target.vault, table), `${name}: ${table}`).toBe(0);
    }
  });

  it('keeps a deleted row that a live row still references', () => {
    // A sync merge can leave a live transaction pointing at a payee deleted elsewhere.
    source.vault.db.prepare("UPDATE payees SET deleted_at = 1 WHERE name = 'Corner Cafe'").run();
    const doc = exportVault(source.vault);
    const payee = doc.collections.payees?.find((p) => p.name === 'Corner Cafe');
    expect(payee?.deleted_at).toBe(1);
    importExport(target.vault, doc);
    expect(withoutTime(exportVault(target.vault))).toEqual(withoutTime(doc));
    const changes = outbox(target.vault).filter((c) => c.recordId === payee?.id);
    expect(changes.map((c) => c.op)).toEqual(['upsert', 'delete']);
  });
});

describe('writeExport', () => {
  it('writes the document atomically, mode 0600, and it reads back', async () => {
    const file = path.join(dir, 'backup.json');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    const counts = writeExport(source.vault, file);
    expect(counts.accounts).toBe(2);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['backup.json']);
    const doc = (await readExportFile(file)) as ExportDocument;
    expect(withoutTime(doc)).toEqual(withoutTime(exportVault(source.vault)));
    importExport(target.vault, doc);
    expect(withoutTime(exportVault(target.vault))).toEqual(withoutTime(doc));
  });

  it('leaves no file behind when the directory does not exist', () => {
    expectError(
      () => writeExport(source.vault, path.join(dir, 'missing', 'x.json')),
      'FILE_NOT_FOUND',
    );
  });

  it('reports unreadable and non-JSON export files', async () => {
    await expect(readExportFile(path.join(dir, 'none.json'))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"format":');
    await expect(readExportFile(path.join(dir, 'bad.json'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
