import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileDownload } from '../../../../shared/api/file-payload.js';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import { AccountService } from '../../ledger/account.service.js';
import { writeExport } from '../../export/export-vault.js';
import { exportTransactionsCsv } from '../../export/transactions-csv.js';
import { backupBytes } from '../../vault/backup-download.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { restoreBackup } from '../../vault/restore.service.js';
import { openVault } from '../../vault/vault.js';
import { startApiTestApp, type ApiAnswer } from '../testing/api-test-app.js';

type Answer = ApiAnswer;
const NOW = Date.UTC(2025, 2, 15, 12);

async function setup() {
  const keyStore = new MemoryKeyStore();
  const { call, session, root } = startApiTestApp({ keyStore, now: () => NOW });
  await call('app', 'createVault');
  await call('accounts', 'create', { name: 'Checking', currency: 'USD' });
  await call('accounts', 'create', { name: 'Euros', currency: 'EUR' });
  await call('transactions', 'create', {
    accountId: 'Checking',
    date: '2025-03-02',
    amountMinor: -1250,
    payeeName: '=SUM(A1) café',
  });
  await call('transactions', 'create', {
    accountId: 'Euros',
    date: '2025-02-10',
    amountMinor: 9900,
    payeeName: 'Client',
  });
  return { call, session, root, keyStore };
}

function file(answer: Answer): FileDownload {
  if (!answer.ok) throw new Error(`refused: ${answer.code} ${answer.message}`);
  return answer.value as FileDownload;
}
const bytesOf = (download: FileDownload): Buffer => Buffer.from(download.contentBase64, 'base64');

describe('exports over the API', () => {
  it('hands over the same JSON export the CLI writes, byte for byte', async () => {
    const { call, session, root } = await setup();
    const download = file(await call('exports', 'vaultJson'));
    expect(download).toMatchObject({
      fileName: 'coffer-export-2025-03-15.json',
      mediaType: 'application/json',
    });
    const onDisk = path.join(root, 'cli-export.json');
    writeExport(session.services().vault, onDisk);
    expect(bytesOf(download).equals(fs.readFileSync(onDisk))).toBe(true);
    expect(download.bytes).toBe(bytesOf(download).length);
  });

  it('hands over the CLI’s transaction CSV, filtered by account or month', async () => {
    const { call, session, root } = await setup();
    const all = bytesOf(file(await call('exports', 'transactionsCsv')));
    const onDisk = path.join(root, 'cli.csv');
    exportTransactionsCsv(session.services().vault, onDisk);
    expect(all.equals(fs.readFileSync(onDisk))).toBe(true);
    expect(all.toString('utf8')).toContain("'=SUM(A1)"); // formula cells are defused

    const euros = bytesOf(file(await call('exports', 'transactionsCsv', { account: 'Euros' })));
    expect(euros.toString('utf8').trim().split('\r\n')).toHaveLength(2);
    expect(euros.toString('utf8')).toContain('Client');
    const march = bytesOf(file(await call('exports', 'transactionsCsv', { month: '2025-03' })));
    expect(march.toString('utf8')).not.toContain('Client');
  });

  it('refuses bad filters with a code', async () => {
    const { call } = await setup();
    expect(await call('exports', 'transactionsCsv', { account: 'Nobody' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await call('exports', 'transactionsCsv', { month: '2025-13' })).toMatchObject({
      ok: false,
      code: 'INVALID_MONTH',
    });
    expect(await call('exports', 'vaultJson', { all: true })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });

  it('hands over an encrypted backup that restores to the same vault', async () => {
    const { call, root, keyStore } = await setup();
    const download = file(await call('exports', 'backup'));
    expect(download.fileName).toBe('coffer-backup-2025-03-15.cofferbackup');
    const bytes = bytesOf(download);
    // Encrypted: neither a payee nor an account name is readable in the bytes.
    expect(bytes.includes(Buffer.from('Checking'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);

    const saved = path.join(root, 'saved.cofferbackup');
    fs.writeFileSync(saved, bytes);
    const restoredDir = path.join(root, 'restored');
    restoreBackup(saved, restoredDir);
    const restored = await openVault({ dir: restoredDir, keyStore });
    try {
      expect(new AccountService(restored).list().map((a) => a.name)).toEqual(['Checking', 'Euros']);
    } finally {
      restored.close();
    }
  });

  it('leaves no backup behind in its temp folder, also when the backup is too large', async () => {
    const { session, root } = await setup();
    const tempRoot = path.join(root, 'tmp');
    fs.mkdirSync(tempRoot);
    const { bytes } = backupBytes(session.services().vault, 64 * 1024 * 1024, tempRoot);
    expect(bytes.length).toBeGreaterThan(0);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
    let refused: unknown;
    try {
      backupBytes(session.services().vault, 1024, tempRoot);
    } catch (error) {
      refused = error;
    }
    expect(isCofferError(refused) && refused.code).toBe('FILE_TOO_LARGE');
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it('answers VAULT_CLOSED when no vault is open', async () => {
    const { call } = await setup();
    await call('app', 'closeVault');
    expect(await call('exports', 'backup')).toMatchObject({ ok: false, code: 'VAULT_CLOSED' });
  });
});
