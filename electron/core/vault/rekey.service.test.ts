import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { expectNoDriverText } from '../testing/driver-text.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import type { KeySlot, KeyStore } from './key-store.js';
import { MemoryKeyStore } from './memory.key-store.js';
import { keyAgeDays, needsRotation, rekeyVault } from './rekey.service.js';
import { openEncryptedDatabase } from './sqlcipher.js';
import { openVault } from './vault.js';
import { vaultDbPath } from './vault-files.js';

const DAY = 86_400_000;
let temp: TempVault | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function vaultWithData(now?: () => number): Promise<TempVault> {
  temp = await createTempVault(now === undefined ? { outbox: true } : { now, outbox: true });
  const { vault } = temp;
  vault.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = vault.db.prepare('INSERT INTO notes (body) VALUES (?)');
  vault.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(`note ${i} ${'x'.repeat(200)}`);
  });
  return temp;
}

function keyOpens(file: string, key: Buffer): boolean {
  try {
    openEncryptedDatabase(file, key).close();
    return true;
  } catch (error) {
    if (isCofferError(error) && error.code === 'VAULT_KEY_INVALID') return false;
    throw error;
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

/** Delegates to a real store but fails at one chosen operation, like a crash or a keychain error. */
class FailingKeyStore implements KeyStore {
  readonly kind = 'memory' as const;
  readonly warning = null;
  constructor(
    private readonly inner: KeyStore,
    private readonly failOn: `${'set' | 'delete'}:${KeySlot}`,
  ) {}
  get(vaultId: string, slot?: KeySlot) {
    return this.inner.get(vaultId, slot);
  }
  async set(vaultId: string, key: Buffer, slot: KeySlot = 'current') {
    if (this.failOn === `set:${slot}`) throw new Error('simulated failure');
    return this.inner.set(vaultId, key, slot);
  }
  async delete(vaultId: string, slot: KeySlot = 'current') {
    if (this.failOn === `delete:${slot}`) throw new Error('simulated failure');
    return this.inner.delete(vaultId, slot);
  }
}

describe('rekeyVault', () => {
  it('re-encrypts under a new key: data readable, old key refused, store holds only the new key', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    const oldKey = (await keyStore.get(vault.vaultId)) as Buffer;
    await rekeyVault(vault, keyStore);

    // The open vault keeps working, in WAL mode again.
    expect(vault.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(500);
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    vault.transaction(() => vault.changes.record('settings', 's', 'upsert', { v: 1 }));

    const newKey = (await keyStore.get(vault.vaultId)) as Buffer;
    expect(newKey.equals(oldKey)).toBe(false);
    expect(await keyStore.get(vault.vaultId, 'next')).toBeNull();
    vault.close();

    const file = vaultDbPath(dir);
    expect(keyOpens(file, oldKey)).toBe(false);
    expect(keyOpens(file, newKey)).toBe(true);
    const reopened = await openVault({ dir, keyStore });
    expect(reopened.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(500);
    expect(reopened.changes.pendingCount()).toBe(1);
    reopened.close();
  });

  it('accepts a directory and can run again', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    vault.close();
    await rekeyVault(dir, keyStore);
    await rekeyVault(dir, keyStore);
    const reopened = await openVault({ dir, keyStore });
    expect(reopened.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(500);
    reopened.close();
  });

  it('records the key creation time and says when the key needs rotation', async () => {
    let wall = 1_700_000_000_000;
    const { vault, keyStore } = await vaultWithData(() => wall);
    expect(keyAgeDays(vault)).toBe(0);
    wall += 365 * DAY;
    expect(keyAgeDays(vault)).toBe(365);
    expect(needsRotation(vault)).toBe(false);
    wall += 1;
    expect(needsRotation(vault)).toBe(true);
    const result = await rekeyVault(vault, keyStore);
    expect(result.keyCreatedAt).toBe(wall);
    expect(keyAgeDays(vault)).toBe(0);
    expect(needsRotation(vault)).toBe(false);
    expect(needsRotation(vault, wall + 366 * DAY)).toBe(true);
  });

  it('refuses while another connection has the vault open, changing nothing', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    const other = await openVault({ dir, keyStore });
    const before = (await keyStore.get(vault.vaultId)) as Buffer;
    const refused = await rekeyVault(vault, keyStore).catch((error: unknown) => error);
    expect(isCofferError(refused) && refused.code).toBe('VAULT_LOCKED');
    expectNoDriverText(String((refused as Error).message));
    expect(((await keyStore.get(vault.vaultId)) as Buffer).equals(before)).toBe(true);
    expect(await keyStore.get(vault.vaultId, 'next')).toBeNull();
    expect(other.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(500);
    other.close();
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await rekeyVault(vault, keyStore); // works once the other connection is gone
  });

  it('keeps other processes out while the key store and the file disagree', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    let probed: string | undefined;
    const probing: KeyStore = {
      kind: 'memory',
      warning: null,
      get: (id, slot) => keyStore.get(id, slot),
      delete: (id, slot) => keyStore.delete(id, slot),
      async set(id, key, slot) {
        await keyStore.set(id, key, slot);
        if (slot === 'next') {
          // Mid-rekey: a second opener must be turned away, not allowed to drop the pending key.
          const raw = new Database(vaultDbPath(dir), { fileMustExist: true, timeout: 50 });
          try {
            raw.pragma(`cipher = 'sqlcipher'`);
            raw.pragma('legacy = 4');
            raw.prepare('SELECT count(*) FROM sqlite_master').get();
            probed = 'opened';
          } catch (error) {
            probed = (error as { code?: string }).code;
          } finally {
            raw.close();
          }
        }
      },
    };
    await rekeyVault(vault, probing);
    expect(probed).toBe('SQLITE_BUSY');
  });

  it('a failed pending-key write leaves the vault untouched under the old key', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    const oldKey = (await keyStore.get(vault.vaultId)) as Buffer;
    await expect(rekeyVault(vault, new FailingKeyStore(keyStore, 'set:next'))).rejects.toThrow();
    expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    vault.close();
    expect(keyOpens(vaultDbPath(dir), oldKey)).toBe(true);
  });

  it('recovers on open when the promotion to current never happened', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    const oldKey = (await keyStore.get(vault.vaultId)) as Buffer;
    await expect(rekeyVault(vault, new FailingKeyStore(keyStore, 'set:current'))).rejects.toThrow();
    vault.close();
    const pending = (await keyStore.get(vault.vaultId, 'next')) as Buffer;
    expect(keyOpens(vaultDbPath(dir), oldKey)).toBe(false);
    expect(keyOpens(vaultDbPath(dir), pending)).toBe(true);

    const reopened = await openVault({ dir, keyStore });
    expect(reopened.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(500);
    reopened.close();
    expect(((await keyStore.get(vault.vaultId)) as Buffer).equals(pending)).toBe(true);
    expect(await keyStore.get(vault.vaultId, 'next')).toBeNull();
  });

  it('drops a leftover pending key on open when the current key works', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    await expect(rekeyVault(vault, new FailingKeyStore(keyStore, 'delete:next'))).rejects.toThrow();
    vault.close();
    expect(await keyStore.get(vault.vaultId, 'next')).not.toBeNull();
    const reopened = await openVault({ dir, keyStore });
    reopened.close();
    expect(await keyStore.get(vault.vaultId, 'next')).toBeNull();
  });

  it('opens with the only key left when a stale pending key does not fit', async () => {
    const { vault, keyStore, dir } = await vaultWithData();
    await keyStore.set(vault.vaultId, Buffer.alloc(32, 1), 'next');
    vault.close();
    const reopened = await openVault({ dir, keyStore });
    reopened.close();
    expect(await keyStore.get(vault.vaultId, 'next')).toBeNull();
    const wrongOnly = new MemoryKeyStore();
    await wrongOnly.set(vault.vaultId, Buffer.alloc(32, 2));
    await wrongOnly.set(vault.vaultId, Buffer.alloc(32, 3), 'next');
    expect(await codeOf(openVault({ dir, keyStore: wrongOnly }))).toBe('VAULT_KEY_INVALID');
  });
});
