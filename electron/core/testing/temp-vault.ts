import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryKeyStore } from '../vault/memory.key-store.js';
import { openEncryptedDatabase, type SqliteDatabase } from '../vault/sqlcipher.js';
import { createVault, type CreatedVault, type Vault } from '../vault/vault.js';

export interface TempVault {
  vault: Vault;
  /** The Recovery Key createVault made for it. */
  recoveryKey: string;
  dir: string;
  keyStore: MemoryKeyStore;
  /** Closes the vault and removes its directory. Safe to call twice. */
  cleanup(): void;
}

export interface TempVaultOptions {
  now?: () => number;
  /**
   * Link the vault to sync first (`vault.changes.enableOutbox()`), so every write leaves an
   * outbox change: for tests that assert what a write records. A new vault keeps none.
   */
  outbox?: boolean;
}

/**
 * A real encrypted vault in a fresh temporary directory, keyed from an in-memory key store,
 * for unit tests of repositories and services that must not depend on an OS keychain.
 */
export async function createTempVault(options: TempVaultOptions = {}): Promise<TempVault> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-test-'));
  const keyStore = new MemoryKeyStore();
  const vaultDir = path.join(dir, 'vault');
  let vault: CreatedVault;
  try {
    vault = await createVault(
      options.now === undefined
        ? { dir: vaultDir, keyStore }
        : { dir: vaultDir, keyStore, now: options.now },
    );
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  if (options.outbox === true) vault.changes.enableOutbox();
  return {
    vault,
    recoveryKey: vault.recoveryKey,
    dir: vaultDir,
    keyStore,
    cleanup(): void {
      vault.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TempDatabase {
  db: SqliteDatabase;
  file: string;
  cleanup(): void;
}

/**
 * A bare encrypted database at schema version 0 with the vault's connection settings,
 * for migration tests: bring it to version N-1 with `runMigrations(db, MIGRATIONS, { target: N - 1 })`,
 * add rows, then migrate to N and assert.
 */
export function createTempDatabase(): TempDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-db-'));
  const file = path.join(dir, 'test.vault');
  const db = openEncryptedDatabase(file, randomBytes(32), { create: true });
  return {
    db,
    file,
    cleanup(): void {
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
