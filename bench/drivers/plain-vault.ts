/**
 * A `Vault` over an unencrypted `better-sqlite3` connection, so the plain baseline runs
 * our real services — the same JavaScript, the same SQL, the same change recording —
 * and only the engine differs. It is made exactly as the real vault is: the real
 * connection pragmas, the real migrations, the same meta rows, the same ChangeRecorder.
 *
 * `buildVault` in vault.ts is not exported, so its few lines (clock restore, recorder,
 * transaction wrapper) are mirrored here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import PlainDatabase from 'better-sqlite3';
import { uuidv7 } from '../../shared/ids/uuidv7.js';
import { ChangeRecorder } from '../../electron/core/sync/change-recorder.js';
import { restoreClock } from '../../electron/core/sync/clock-high-water.js';
import { MIGRATIONS } from '../../electron/core/vault/migrations/index.js';
import { runMigrations } from '../../electron/core/vault/migrations/migration.js';
import {
  applyConnectionPragmas,
  type SqliteDatabase,
} from '../../electron/core/vault/sqlcipher.js';
import { requireMeta, setMeta } from '../../electron/core/vault/vault-meta.js';
import { TransactionGate } from '../../electron/core/vault/stepped-transaction.js';
import type { Vault } from '../../electron/core/vault/vault.js';

export const PLAIN_DB_FILE = 'plain.db';

export function plainDbPath(dir: string): string {
  return path.join(dir, PLAIN_DB_FILE);
}

/**
 * better-sqlite3 and better-sqlite3-multiple-ciphers share one API (the latter is a fork
 * with a cipher layer); the vault code is typed against the fork.
 */
export function asVaultDatabase(db: PlainDatabase.Database): SqliteDatabase {
  return db as unknown as SqliteDatabase;
}

/** Opens a plain connection the way openEncryptedDatabase opens an encrypted one, minus the key. */
export function openPlainConnection(
  file: string,
  options: { create?: boolean; wrap?: (db: SqliteDatabase) => SqliteDatabase } = {},
): SqliteDatabase {
  const raw = asVaultDatabase(new PlainDatabase(file, { fileMustExist: options.create !== true }));
  const db = options.wrap ? options.wrap(raw) : raw;
  // The encrypted open reads the schema here to prove the key; the same read is done.
  db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  applyConnectionPragmas(db);
  return db;
}

export function createPlainVault(dir: string, now: () => number = Date.now): Vault {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = openPlainConnection(plainDbPath(dir), { create: true });
  runMigrations(db, MIGRATIONS);
  const createdAt = now();
  db.transaction(() => {
    setMeta(db, 'vault_id', uuidv7(createdAt));
    setMeta(db, 'device_id', uuidv7(createdAt));
    setMeta(db, 'created_at', String(createdAt));
    setMeta(db, 'key_created_at', String(createdAt));
  }).immediate();
  return vaultOver(db, dir, now);
}

/** What openVault does after the key: migrations (a no-op when current), meta, clock, recorder. */
export function openPlainVault(
  dir: string,
  options: { now?: () => number; wrap?: (db: SqliteDatabase) => SqliteDatabase } = {},
): Vault {
  const now = options.now ?? Date.now;
  const db = openPlainConnection(plainDbPath(dir), options.wrap ? { wrap: options.wrap } : {});
  try {
    runMigrations(db, MIGRATIONS);
    requireMeta(db, 'vault_id');
    return vaultOver(db, dir, now);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Mirrors buildVault (vault.ts) over any connection: clock restored from the high-water
 * mark, the real ChangeRecorder, one transaction wrapper for the vault's lifetime.
 */
export function vaultOver(db: SqliteDatabase, dir: string, now: () => number): Vault {
  const vaultId = requireMeta(db, 'vault_id');
  const deviceId = requireMeta(db, 'device_id');
  const clock = restoreClock(db, deviceId, now);
  const changes = new ChangeRecorder({ db, clock, deviceId, now });
  const runInTransaction = db.transaction((fn: () => unknown): unknown =>
    changes.transactionScope(fn),
  );
  const gate = new TransactionGate(db, (step) => changes.transactionScope(step));
  let closed = false;
  return {
    db,
    dir,
    vaultId,
    deviceId,
    clock,
    changes,
    now,
    transaction<T>(fn: () => T): T {
      gate.assertFree();
      return runInTransaction.immediate(fn) as T;
    },
    transactionInSteps: (steps, between) => gate.run(steps, between),
    close(): void {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
