import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { MemoryKeyStore } from './memory.key-store.js';
import { MIGRATIONS } from './migrations/index.js';
import { latestVersion, schemaVersion } from './migrations/migration.js';
import { createVault, openVault, type Vault } from './vault.js';
import { readVaultManifest, vaultDbPath } from './vault-files.js';
import { getMeta } from './vault-meta.js';

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(isCofferError(error) ? error.code : error).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, got success`);
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-vault-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function temp(): Promise<TempVault> {
  const t = await createTempVault();
  cleanups.push(() => t.cleanup());
  return t;
}

describe('createVault / openVault', () => {
  it('creates a SQLCipher 4 vault in WAL mode with the required pragmas', async () => {
    const { vault, dir } = await temp();
    const db = vault.db;
    expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    expect(Number(db.pragma('legacy', { simple: true }))).toBe(4);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    expect(schemaVersion(db)).toBe(latestVersion(MIGRATIONS));
    expect(fs.existsSync(vaultDbPath(dir))).toBe(true);
    const manifest = readVaultManifest(dir);
    expect(manifest).toMatchObject({
      formatVersion: 2,
      vaultId: vault.vaultId,
      keyStore: 'memory',
    });
    expect(manifest.recovery?.wrappedKeys).toHaveLength(1);
  });

  it('makes the directory and database private to the user', async () => {
    if (process.platform === 'win32') return;
    const { dir, vault } = await temp();
    vault.db.exec("INSERT INTO meta (key, value) VALUES ('probe', 'x')"); // make sure a -wal exists
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(vaultDbPath(dir)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${vaultDbPath(dir)}-wal`).mode & 0o777).toBe(0o600);
  });

  it('stores vault id, device id and timestamps in meta', async () => {
    const now = () => 1_750_000_000_000;
    const dir = path.join(tempDir(), 'v');
    const keyStore = new MemoryKeyStore();
    const vault = await createVault({ dir, keyStore, now });
    cleanups.push(() => vault.close());
    expect(getMeta(vault.db, 'vault_id')).toBe(vault.vaultId);
    expect(getMeta(vault.db, 'device_id')).toBe(vault.deviceId);
    expect(getMeta(vault.db, 'created_at')).toBe(String(now()));
    expect(getMeta(vault.db, 'key_created_at')).toBe(String(now()));
    expect(vault.now()).toBe(now());
    expect(vault.deviceId).not.toBe(vault.vaultId);
  });

  it('stores the key in the key store before the database exists, and reopens with it', async () => {
    const dir = path.join(tempDir(), 'v');
    const keyStore = new MemoryKeyStore();
    const vault = await createVault({ dir, keyStore });
    const key = await keyStore.get(vault.vaultId);
    expect(key?.length).toBe(32);
    vault.db.exec("INSERT INTO meta (key, value) VALUES ('probe', 'persisted')");
    const { vaultId, deviceId } = vault;
    vault.close();
    const reopened = await openVault({ dir, keyStore });
    cleanups.push(() => reopened.close());
    expect(reopened.vaultId).toBe(vaultId);
    expect(reopened.deviceId).toBe(deviceId);
    expect(reopened.db.prepare("SELECT value FROM meta WHERE key = 'probe'").pluck().get()).toBe(
      'persisted',
    );
  });

  it('refuses to create over an existing vault (VAULT_EXISTS)', async () => {
    const { dir, keyStore } = await temp();
    await expectCode(createVault({ dir, keyStore }), 'VAULT_EXISTS');
  });

  it('reports a missing vault as VAULT_NOT_FOUND', async () => {
    await expectCode(
      openVault({ dir: path.join(tempDir(), 'nope'), keyStore: new MemoryKeyStore() }),
      'VAULT_NOT_FOUND',
    );
  });

  it('reports a missing key as KEY_NOT_FOUND and a wrong key as VAULT_KEY_INVALID', async () => {
    const { dir, vault, keyStore } = await temp();
    const vaultId = vault.vaultId;
    vault.close();
    await expectCode(openVault({ dir, keyStore: new MemoryKeyStore() }), 'KEY_NOT_FOUND');
    const wrong = new MemoryKeyStore();
    await wrong.set(vaultId, Buffer.alloc(32, 7));
    await expectCode(openVault({ dir, keyStore: wrong }), 'VAULT_KEY_INVALID');
    const reopened = await openVault({ dir, keyStore });
    reopened.close();
  });

  it('never puts the key in an error message', async () => {
    const { dir, vault } = await temp();
    const wrongKey = Buffer.alloc(32, 0xab);
    const wrong = new MemoryKeyStore();
    await wrong.set(vault.vaultId, wrongKey);
    vault.close();
    try {
      await openVault({ dir, keyStore: wrong });
      expect.unreachable();
    } catch (error) {
      const text =
        JSON.stringify(error) + String((error as Error).message) + String((error as Error).stack);
      expect(text).not.toContain(wrongKey.toString('hex'));
      expect(text).not.toContain(wrongKey.toString('base64'));
    }
  });

  it('refuses a vault made by a newer Coffer (VAULT_TOO_NEW)', async () => {
    const { dir, vault, keyStore } = await temp();
    vault.db.pragma(`user_version = ${latestVersion(MIGRATIONS) + 1}`);
    vault.close();
    await expectCode(openVault({ dir, keyStore }), 'VAULT_TOO_NEW');
  });

  it('refuses an empty database file (VAULT_CORRUPT) instead of treating it as a new vault', async () => {
    const { dir, vault, keyStore } = await temp();
    vault.close();
    fs.truncateSync(vaultDbPath(dir), 0);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(vaultDbPath(dir) + suffix, { force: true });
    await expectCode(openVault({ dir, keyStore }), 'VAULT_CORRUPT');
  });

  it('refuses vault.json from a newer Coffer and a damaged one', async () => {
    const { dir, vault, keyStore } = await temp();
    vault.close();
    const manifest = path.join(dir, 'vault.json');
    fs.writeFileSync(
      manifest,
      JSON.stringify({ formatVersion: 3, vaultId: vault.vaultId, keyStore: 'memory' }),
    );
    await expectCode(openVault({ dir, keyStore }), 'VAULT_TOO_NEW');
    fs.writeFileSync(manifest, '{ not json');
    await expectCode(openVault({ dir, keyStore }), 'VAULT_CORRUPT');
  });
});

describe('vault.transaction', () => {
  let vault: Vault;

  async function setup(): Promise<void> {
    vault = (await temp()).vault;
    vault.db.exec('CREATE TABLE t (x INTEGER)');
  }
  const count = () => Number(vault.db.prepare('SELECT count(*) FROM t').pluck().get());

  it('commits on return and rolls back on throw', async () => {
    await setup();
    vault.transaction(() => vault.db.prepare('INSERT INTO t VALUES (1)').run());
    expect(() =>
      vault.transaction(() => {
        vault.db.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count()).toBe(1);
  });

  it('nests: an inner failure caught by the outer body rolls back only the inner part', async () => {
    await setup();
    const result = vault.transaction(() => {
      vault.db.prepare('INSERT INTO t VALUES (1)').run();
      try {
        vault.transaction(() => {
          vault.db.prepare('INSERT INTO t VALUES (2)').run();
          throw new Error('inner');
        });
      } catch {
        // expected
      }
      return vault.transaction(() => {
        vault.db.prepare('INSERT INTO t VALUES (3)').run();
        return 'done';
      });
    });
    expect(result).toBe('done');
    expect(vault.db.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 3]);
  });

  it('rejects an async body and rolls it back', async () => {
    await setup();
    expect(() =>
      vault.transaction(() => {
        vault.db.prepare('INSERT INTO t VALUES (1)').run();
        return Promise.resolve();
      }),
    ).toThrow(/synchronous/);
    expect(count()).toBe(0);
  });
});

describe('clock', () => {
  it('resumes after the newest HLC issued, even if the system clock went back', async () => {
    let wall = 1_750_000_000_000;
    const dir = path.join(tempDir(), 'v');
    const keyStore = new MemoryKeyStore();
    const vault = await createVault({ dir, keyStore, now: () => wall });
    const first = vault.transaction(() =>
      vault.changes.record('settings', 's1', 'upsert', { theme: 'dark' }),
    );
    vault.close();
    wall -= 60_000; // clock stepped back a minute
    const reopened = await openVault({ dir, keyStore, now: () => wall });
    cleanups.push(() => reopened.close());
    const second = reopened.transaction(() =>
      reopened.changes.record('settings', 's1', 'upsert', { theme: 'light' }),
    );
    expect(second.hlc > first.hlc).toBe(true);
    // Local-only: no field clocks are kept, so the second write replaced no clocked value.
    expect(second.base).toEqual({ theme: null });
  });
});
