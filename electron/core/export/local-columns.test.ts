import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../ledger/account.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { loadCollectionMaps } from '../sync/apply/collection-map.js';
import { RecordWriter } from '../sync/apply/record-writer.js';
import { StateUpload } from '../sync/engine/state-upload.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { changeFields } from './change-fields.js';
import { CLOCKS_COLUMN, RECORD_SPECS } from './export-tables.js';
import { exportVault } from './export-vault.js';
import { transactionsCsvText } from './transactions-csv.js';

let temp: TempVault;
let transactionId: string;

/** A local-only vault linked later: its first upload stamps the records, then an edit. */
beforeEach(async () => {
  temp = await createTempVault();
  const account = new AccountService(temp.vault).create({
    name: 'Checking',
    currency: 'USD',
    kind: 'checking',
  });
  transactionId = new TransactionService(temp.vault).create({
    accountId: account.id,
    date: '2026-01-05',
    amountMinor: -1250,
    notes: 'weekly',
  }).id;
  temp.vault.changes.enableOutbox();
  const upload = new StateUpload(temp.vault);
  upload.startFirstUpload();
  while (upload.pending()) upload.emitChunk(100);
  new TransactionService(temp.vault).update(transactionId, { notes: 'monthly' });
});
afterEach(() => temp.cleanup());

const clocksText = (): string =>
  String(
    temp.vault.db
      .prepare(`SELECT ${CLOCKS_COLUMN} FROM transactions WHERE id = ?`)
      .pluck()
      .get(transactionId),
  );

/** Every key of every object inside `value`, nested ones included. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  }
  return into;
}

describe('the local clocks column', () => {
  it('holds the clocks of a synced record', () => {
    expect(clocksText().length).toBeGreaterThan(0);
  });

  it('is never a field of a change: local writes, a first upload, the merge map and a read-back', () => {
    const changes = temp.vault.changes.pending(100).map((entry) => entry.change);
    // The first upload's account and transaction, then the edit.
    expect(changes.length).toBeGreaterThanOrEqual(3);
    for (const change of changes) {
      expect(keysOf(change.fields).has('syncClocks')).toBe(false);
      expect(keysOf(change.fields).has(CLOCKS_COLUMN)).toBe(false);
      expect(Object.keys(change.base)).not.toContain('syncClocks');
    }

    const maps = loadCollectionMaps(temp.vault.db);
    for (const spec of RECORD_SPECS) {
      expect([...(maps.get(spec.collection)?.fields.keys() ?? [])]).not.toContain('syncClocks');
    }
    const map = maps.get('transactions')!;
    expect(new RecordWriter(temp.vault.db).readField(map, transactionId, 'syncClocks')).toBeNull();
    const row = temp.vault.db
      .prepare<[string], Record<string, unknown>>('SELECT * FROM transactions WHERE id = ?')
      .get(transactionId)!;
    expect(row[CLOCKS_COLUMN]).toBe(clocksText());
    expect(Object.keys(changeFields(map.spec, row, new Map()))).not.toContain('syncClocks');
  });

  it('is in no export, JSON or CSV', () => {
    const doc = exportVault(temp.vault);
    expect(keysOf(doc.collections).has(CLOCKS_COLUMN)).toBe(false);
    expect(JSON.stringify(doc)).not.toContain(clocksText());
    const csv = transactionsCsvText(temp.vault, {}, 1_000_000);
    expect(csv.rows).toBe(1);
    expect(csv.text).not.toContain(CLOCKS_COLUMN);
    expect(csv.text).not.toContain(clocksText());
  });
});
