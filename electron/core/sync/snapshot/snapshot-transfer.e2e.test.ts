import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { SnapshotManifest } from '../../../../shared/sync/snapshot.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { getMeta } from '../../vault/vault-meta.js';
import type { Vault } from '../../vault/vault.js';
import { TransactionService } from '../../ledger/transaction.service.js';
import { AccountService } from '../../ledger/account.service.js';
import { parseFingerprint } from '../client/pinned-agent.js';
import { startRestartableSyncServer } from '../client/testing/restartable-sync-server.js';
import type { RestartableSyncServer } from '../client/testing/restartable-sync-server.js';
import type { SyncApiClient } from '../client/sync-api.client.js';
import type { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { syncOnce } from '../engine/sync-once.js';
import { SyncAccountService } from '../sync-account.service.js';
import { bulkLoadSnapshot } from './snapshot-bulk-load.js';
import { sealChunk } from './snapshot-cipher.js';
import { packSnapshot } from './snapshot-codec.js';
import { emitSnapshotLines } from './snapshot-lines.js';
import { downloadSnapshot, uploadSnapshot } from './snapshot-transfer.js';
import { packSettledSnapshot } from './snapshot-writer.js';
import { recordLines } from './snapshot-test-kit.js';

/**
 * A snapshot uploaded to the real sync server (child process, TLS 1.3, pinned) and
 * downloaded for a bootstrap: on arrival only each chunk's tag and labels are checked, and
 * the load checks every line in its one transaction. Whatever is wrong, found on arrival or
 * during the load, nothing is applied.
 */
const PASSWORD = 'amber quarry willow 47';

let server: RestartableSyncServer;
let writer: TempVault;
let account: SyncAccountService;
let workspaceId: string;
let seq: number;
const temps: TempVault[] = [];

beforeAll(async () => {
  server = await startRestartableSyncServer();
  writer = await createTempVault();
  account = new SyncAccountService({
    vault: writer.vault,
    keyStore: writer.keyStore,
    deviceName: 'snapshot writer',
  });
  await account.register(
    { serverUrl: server.url, fingerprint: parseFingerprint(server.fingerprint) },
    { email: `snapshot-transfer-${process.pid}@example.test`, password: PASSWORD },
  );
  ({ workspaceId } = await account.createWorkspace('Snapshot books'));
  new AccountService(writer.vault).create({ name: 'Checking', currency: 'EUR' });
  const transactions = new TransactionService(writer.vault);
  for (let i = 0; i < 40; i++) {
    transactions.create({ accountId: 'Checking', date: '2026-02-03', amountMinor: -(i + 1) });
  }
  seq = (await withSync((sync, keyring) => syncOnce(writer.vault, sync, workspaceId, keyring))).seq;
}, 180_000);

afterAll(async () => {
  for (const temp of temps) temp.cleanup();
  writer?.cleanup();
  await server?.stop();
});

function withSync<T>(fn: (sync: SyncApiClient, keyring: WorkspaceKeyring) => Promise<T>) {
  return account.withWorkspaceSync((sync, _workspace, keyring) => fn(sync, keyring));
}

async function emptyVault(): Promise<Vault> {
  const temp = await createTempVault({ outbox: true });
  temps.push(temp);
  return temp.vault;
}

function loadedNothing(vault: Vault): void {
  expect(vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(0);
  expect(vault.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
  expect(getMeta(vault.db, 'sync_pulled_seq')).toBeNull();
}

/** Downloads the newest snapshot with the spool file in a folder of the test's own. */
async function download(checkContent: boolean) {
  const spool = mkdtempSync(join(tmpdir(), 'coffer-transfer-test-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = spool;
  try {
    return await withSync(async (sync, keyring) => {
      const info = await sync.latestSnapshot(workspaceId);
      if (info === null) throw new Error('no snapshot on the server');
      const spooled = await downloadSnapshot(sync, workspaceId, info, keyring, { checkContent });
      const [dir] = readdirSync(spool);
      return { spooled, file: join(spool, dir!, 'chunks'), spool };
    });
  } catch (error) {
    rmSync(spool, { recursive: true, force: true });
    throw error;
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

describe('snapshot transfer over the real server', { timeout: 300_000 }, () => {
  it('loads what it downloaded; a chunk altered in the spool file after arrival applies nothing', async () => {
    await withSync(async (sync, keyring) => {
      const packed = packSettledSnapshot(writer.vault, keyring.current(), seq);
      if (packed === null) throw new Error('the writer is settled at its pulled seq');
      await uploadSnapshot(sync, workspaceId, packed);
    });

    const good = await download(false);
    try {
      const vault = await emptyVault();
      bulkLoadSnapshot(vault, good.spooled.info.seq, good.spooled.entries());
      expect(vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(40);
    } finally {
      good.spooled.close();
      rmSync(good.spool, { recursive: true, force: true });
    }

    const tampered = await download(false);
    try {
      const bytes = readFileSync(tampered.file);
      bytes[bytes.length >> 1]! ^= 0x01;
      writeFileSync(tampered.file, bytes);
      const vault = await emptyVault();
      expect(() =>
        bulkLoadSnapshot(vault, tampered.spooled.info.seq, tampered.spooled.entries()),
      ).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
      loadedNothing(vault);
    } finally {
      tampered.spooled.close();
      rmSync(tampered.spool, { recursive: true, force: true });
    }
  });

  it('authentic chunks with a bad line: refused by the load when only tags were checked, on arrival when content was', async () => {
    // A newer seq, so this snapshot is the newest the server offers.
    new TransactionService(writer.vault).create({
      accountId: 'Checking',
      date: '2026-02-04',
      amountMinor: -99,
    });
    const next = await withSync((sync, keyring) =>
      syncOnce(writer.vault, sync, workspaceId, keyring),
    );
    expect(next.seq).toBeGreaterThan(seq);
    const written: string[] = [];
    writer.vault.transaction(() => emitSnapshotLines(writer.vault, (line) => written.push(line)));
    // The last record's clocks name a ref, which no snapshot may.
    const lines = recordLines(written);
    const last = lines.findLastIndex((line) => line.startsWith('["r",'));
    const record = JSON.parse(lines[last]!) as unknown[];
    record[4] = 'mj2k4ab0.0.~1=t1';
    lines[last] = JSON.stringify(record);
    await withSync(async (sync, keyring) => {
      const key = keyring.current();
      const half = Math.ceil(lines.length / 2);
      const groups = [lines.slice(0, half), lines.slice(half)];
      const manifest: SnapshotManifest = {
        snapshotId: uuidv7(),
        seq: next.seq,
        keyVersion: key.version,
        chunkCount: groups.length,
        byteLength: 0,
      };
      const chunks = groups.map((group, index) =>
        sealChunk(gzipSync(`${group.join('\n')}\n`), key, { ...manifest, workspaceId, index }),
      );
      manifest.byteLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      await uploadSnapshot(sync, workspaceId, { manifest, chunks });
    });

    const tagsOnly = await download(false);
    try {
      const vault = await emptyVault();
      expect(() =>
        bulkLoadSnapshot(vault, tagsOnly.spooled.info.seq, tagsOnly.spooled.entries()),
      ).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
      loadedNothing(vault);
    } finally {
      tagsOnly.spooled.close();
      rmSync(tagsOnly.spool, { recursive: true, force: true });
    }

    await expect(download(true)).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
  });

  it('a snapshot of many chunks, requested several at a time, arrives whole and in order', async () => {
    new TransactionService(writer.vault).create({
      accountId: 'Checking',
      date: '2026-02-05',
      amountMinor: -7,
    });
    const next = await withSync((sync, keyring) =>
      syncOnce(writer.vault, sync, workspaceId, keyring),
    );
    const chunkCount = await withSync(async (sync, keyring) => {
      const packed = packSnapshot(
        writer.vault,
        keyring.current(),
        { snapshotId: uuidv7(), seq: next.seq },
        300,
      );
      await uploadSnapshot(sync, workspaceId, packed);
      return packed.manifest.chunkCount;
    });
    expect(chunkCount).toBeGreaterThan(6);
    for (const checkContent of [true, false]) {
      const got = await download(checkContent);
      try {
        expect(got.spooled.info.chunkCount).toBe(chunkCount);
        const vault = await emptyVault();
        bulkLoadSnapshot(vault, got.spooled.info.seq, got.spooled.entries());
        expect(vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(42);
        expect(getMeta(vault.db, 'sync_pulled_seq')).toBe(String(next.seq));
      } finally {
        got.spooled.close();
        rmSync(got.spool, { recursive: true, force: true });
      }
    }
  });
});
