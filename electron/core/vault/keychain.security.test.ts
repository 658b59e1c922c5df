import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { uuidv7 } from '../../../shared/ids/uuidv7.js';
import { KEYCHAIN_SERVICE, KeychainKeyStore, keychainAccount } from './keychain.key-store.js';
import { keyNeedles, scanDir } from './test-fixtures/scan-files.js';
import { oracleQuery } from './test-fixtures/sqlcipher-oracle.js';
import {
  requireSecretService,
  runChild,
  secretToolLookup,
} from './test-fixtures/keychain-test-support.js';
import { createVault, openVault } from './vault.js';
import { vaultDbPath } from './vault-files.js';

/**
 * Proof: the vault key lives in the real OS keychain (gnome-keyring over the Secret
 * Service, read back by another program) and nowhere in the vault directory; without a
 * reachable keychain Coffer stops with a clear error instead of falling back silently.
 * Run under: bash build/scripts/with-keyring.sh npx vitest run electron/core/vault
 * @module-tag secret-service
 */
const store = new KeychainKeyStore();
const vaultIds: string[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  await requireSecretService();
});
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop() as string, { recursive: true, force: true });
});
afterAll(async () => {
  for (const id of vaultIds) {
    await store.delete(id, 'current').catch(() => false);
    await store.delete(id, 'next').catch(() => false);
  }
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-keychain-'));
  dirs.push(dir);
  return dir;
}

describe('KeychainKeyStore (real Secret Service)', () => {
  it('stores, reads and deletes current and next keys separately', async () => {
    const id = uuidv7();
    vaultIds.push(id);
    const current = Buffer.alloc(32, 1);
    const next = Buffer.alloc(32, 2);
    expect(await store.get(id)).toBeNull();
    await store.set(id, current);
    await store.set(id, next, 'next');
    expect((await store.get(id))?.equals(current)).toBe(true);
    expect((await store.get(id, 'next'))?.equals(next)).toBe(true);
    expect(keychainAccount(id, 'next')).toBe(`vault:${id}:next`);
    expect(await store.delete(id, 'next')).toBe(true);
    expect(await store.delete(id, 'next')).toBe(false);
    expect(await store.get(id, 'next')).toBeNull();
    expect((await store.get(id))?.equals(current)).toBe(true);
  });
});

describe('vault key in the OS keychain', () => {
  it('is readable by another program (secret-tool) under service "Coffer", account "vault:<id>", and opens the vault', async () => {
    const dir = path.join(tempDir(), 'vault');
    const vault = await createVault({ dir, keyStore: store });
    vaultIds.push(vault.vaultId);
    vault.db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('keychain works')");
    vault.close();

    const hex = secretToolLookup(KEYCHAIN_SERVICE, `vault:${vault.vaultId}`);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const key = Buffer.from(hex as string, 'hex');
    expect(await oracleQuery(vaultDbPath(dir), key, 'SELECT x FROM t')).toEqual([
      { x: 'keychain works' },
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'vault.json'), 'utf8'))).toMatchObject({
      formatVersion: 2,
      vaultId: vault.vaultId,
      keyStore: 'keychain',
    });
  });

  it('appears nowhere in the vault directory (raw, hex, base64), open or closed', async () => {
    const dir = path.join(tempDir(), 'vault');
    const vault = await createVault({ dir, keyStore: store });
    vaultIds.push(vault.vaultId);
    vault.db.pragma('wal_autocheckpoint = 0');
    vault.transaction(() =>
      vault.changes.record('settings', 'x', 'upsert', { note: 'something to write' }),
    );
    const key = Buffer.from(
      secretToolLookup(KEYCHAIN_SERVICE, `vault:${vault.vaultId}`) as string,
      'hex',
    );
    expect(key.length).toBe(32);
    const whileOpen = scanDir(dir, keyNeedles('vault key', key));
    expect(whileOpen.files.length).toBeGreaterThanOrEqual(3);
    expect(whileOpen.hits).toEqual([]);
    vault.close();
    expect(scanDir(dir, keyNeedles('vault key', key)).hits).toEqual([]);
    const reopened = await openVault({ dir, keyStore: store });
    reopened.close();
  });

  it('opens from another process through the keychain alone', async () => {
    const dir = path.join(tempDir(), 'vault');
    const created = runChild(['create', dir]);
    expect(created.output).toMatchObject({ ok: true });
    const vaultId = String(created.output?.vaultId);
    vaultIds.push(vaultId);
    const vault = await openVault({ dir, keyStore: store });
    expect(vault.vaultId).toBe(vaultId);
    vault.close();
  });

  it('reports KEY_NOT_FOUND when the keychain has no key for the vault', async () => {
    const dir = path.join(tempDir(), 'vault');
    const vault = await createVault({ dir, keyStore: store });
    vault.close();
    await store.delete(vault.vaultId);
    await expect(openVault({ dir, keyStore: store })).rejects.toSatisfy(
      (error: unknown) => isCofferError(error) && error.code === 'KEY_NOT_FOUND',
    );
  });
});

describe('no keychain reachable', () => {
  const noBus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/coffer-no-dbus' };

  it('fails with KEYCHAIN_UNAVAILABLE naming what to install, never falling back to another store', () => {
    const result = runChild(['probe'], noBus);
    expect(result.output).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    const message = String(result.output?.message);
    expect(message).toMatch(/gnome-keyring/);
    expect(message).toMatch(/KeePassXC/);
    expect(message).toMatch(/D-Bus/);
    expect(message).toMatch(/--key-file/);
  });

  it('creates no vault when the key cannot be stored', () => {
    const dir = path.join(tempDir(), 'vault');
    const result = runChild(['create', dir], noBus);
    expect(result.output).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    expect(fs.existsSync(vaultDbPath(dir))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'vault.json'))).toBe(false);
  });
});
