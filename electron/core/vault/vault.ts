import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { HlcClock } from '../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../shared/ids/uuidv7.js';
import { ChangeRecorder } from '../sync/change-recorder.js';
import { restoreClock } from '../sync/clock-high-water.js';
import { deviceRefs } from '../sync/device-refs.js';
import { VAULT_KEY_BYTES, type KeyStore } from './key-store.js';
import { KeyFileKeyStore } from './key-file.key-store.js';
import { MIGRATIONS } from './migrations/index.js';
import { runMigrations } from './migrations/migration.js';
import { isSameOrInside, resolveThroughLinks } from './real-path.js';
import { openEncryptedDatabase, type SqliteDatabase } from './sqlcipher.js';
import { fromSqliteError } from './sqlite-errors.js';
import { TransactionGate } from './stepped-transaction.js';
import {
  VAULT_FORMAT_VERSION,
  fsyncDir,
  readVaultManifest,
  vaultDbFiles,
  vaultDbPath,
  vaultManifestPath,
  writeVaultManifest,
} from './vault-files.js';
import { requireMeta, setMeta } from './vault-meta.js';
import { unlockDatabase, type UnlockedDatabase } from './vault-unlock.js';
import { createRecovery, settleRecovery } from './vault-recovery.js';

export type Database = SqliteDatabase;

export interface Vault {
  readonly db: Database;
  readonly dir: string;
  readonly vaultId: string;
  readonly deviceId: string;
  readonly clock: HlcClock;
  readonly changes: ChangeRecorder;
  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE); nested calls become savepoints.
   * `fn` must be synchronous: the transaction commits when it returns.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Runs `steps` in one write transaction, each step synchronous, awaiting `between` after
   * each (see TransactionGate): all or nothing, like `transaction`, for writes long enough
   * to report progress. While it waits, `transaction` throws VAULT_BUSY.
   */
  transactionInSteps<T, Y>(
    steps: Iterator<Y, T>,
    between: (yielded: Y) => Promise<void>,
  ): Promise<T>;
  /** Current time in UTC ms (injectable for tests). */
  now(): number;
  close(): void;
}

/** A vault just made, with its Recovery Key: shown to the user once, kept nowhere. */
export interface CreatedVault extends Vault {
  readonly recoveryKey: string;
}

export interface VaultOptions {
  dir: string;
  keyStore: KeyStore;
  now?: () => number;
}

/**
 * Creates a new vault in `dir`: a fresh random key is stored in the key store first, so
 * no database ever exists whose key was not saved; then the encrypted database is made and
 * migrated, and vault.json — with the key wrapped to a new Recovery Key — is written last,
 * marking the vault complete.
 */
export async function createVault(options: VaultOptions): Promise<CreatedVault> {
  const dir = path.resolve(options.dir);
  const now = options.now ?? Date.now;
  assertNoVault(dir);
  assertKeyFileOutside(dir, options.keyStore);
  const createdDir = !fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (createdDir) fs.chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask

  const createdAt = now();
  const vaultId = uuidv7(createdAt);
  const deviceId = uuidv7(createdAt);
  const key = randomBytes(VAULT_KEY_BYTES);
  let db: SqliteDatabase | undefined;
  let createdDbFile = false;
  try {
    await options.keyStore.set(vaultId, key);
    const file = vaultDbPath(dir);
    // Created empty with 0600 first: SQLite would use 0644, and -wal/-shm copy the db's mode.
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    createdDbFile = true;
    // Pages a sync outbox frees can then be given back to the file system
    // (ChangeRecorder.acknowledge). Existing vaults keep it off: turning it on needs a VACUUM.
    db = openEncryptedDatabase(file, key, { create: true, incrementalVacuum: true });
    runMigrations(db, MIGRATIONS);
    const database = db;
    const { recoveryKey, recovery } = createRecovery(vaultId, key);
    database
      .transaction(() => {
        setMeta(database, 'vault_id', vaultId);
        setMeta(database, 'device_id', deviceId);
        setMeta(database, 'created_at', String(createdAt));
        setMeta(database, 'key_created_at', String(createdAt));
        setMeta(database, 'recovery_public_key', recovery.publicKey);
      })
      .immediate();
    writeVaultManifest(dir, {
      formatVersion: VAULT_FORMAT_VERSION,
      vaultId,
      keyStore: options.keyStore.kind,
      recovery,
    });
    return { ...buildVault(db, dir, now), recoveryKey };
  } catch (error) {
    db?.close();
    if (createdDbFile) discardIncompleteVault(dir);
    await options.keyStore.delete(vaultId).catch(() => false);
    throw fromSqliteError(error);
  } finally {
    key.fill(0);
  }
}

/** Opens an existing vault: reads vault.json, unlocks with the stored key, runs pending migrations. */
export async function openVault(options: VaultOptions): Promise<Vault> {
  const dir = path.resolve(options.dir);
  const now = options.now ?? Date.now;
  const manifest = readVaultManifest(dir);
  const file = assertVaultDbFile(dir);
  let unlocked: UnlockedDatabase;
  try {
    unlocked = await unlockDatabase(file, manifest.vaultId, options.keyStore);
  } catch (error) {
    if (
      isCofferError(error) &&
      error.code === 'KEY_NOT_FOUND' &&
      manifest.keyStore !== options.keyStore.kind
    ) {
      throw new CofferError(
        'KEY_NOT_FOUND',
        `This vault keeps its key in the ${manifest.keyStore === 'key-file' ? 'key file given with --key-file' : manifest.keyStore}, not in the ${options.keyStore.kind}.`,
        { vaultId: manifest.vaultId, expected: manifest.keyStore, given: options.keyStore.kind },
      );
    }
    throw error;
  }
  const { db, key } = unlocked;
  try {
    runMigrations(db, MIGRATIONS);
    const storedId = requireMeta(db, 'vault_id');
    if (storedId !== manifest.vaultId) {
      throw new CofferError(
        'VAULT_CORRUPT',
        `vault.json names vault ${manifest.vaultId} but the database is vault ${storedId}.`,
      );
    }
    settleRecoveryQuietly(dir, db, key);
    return buildVault(db, dir, now);
  } catch (error) {
    db.close();
    throw fromSqliteError(error);
  } finally {
    key.fill(0);
  }
}

/**
 * Finishes what a crash during a rotation or a change of Recovery Key left in vault.json.
 * Opening must not depend on it: a vault on read-only media still opens, and vault.json then
 * keeps every wrap it had, the one for this key included (a rotation adds it before the
 * database changes key).
 */
function settleRecoveryQuietly(dir: string, db: SqliteDatabase, key: Buffer): void {
  try {
    settleRecovery(dir, db, key);
  } catch {
    // retried at the next open; a vault.json whose Recovery Key is not this vault's gets no
    // wrap (see assertTrustedRecovery), and opening does not need it
  }
}

function buildVault(db: SqliteDatabase, dir: string, now: () => number): Vault {
  const vaultId = requireMeta(db, 'vault_id');
  const deviceId = requireMeta(db, 'device_id');
  // Outside any transaction, as refs must be made (device-refs.ts): this device's clocks
  // then name it in two bytes.
  deviceRefs(db).ensure(deviceId);
  const clock = restoreClock(db, deviceId, now);
  const changes = new ChangeRecorder({ db, clock, deviceId, now });
  // One transaction wrapper for the vault's lifetime: creating one per call costs time on hot paths.
  const runInTransaction = db.transaction((fn: () => unknown): unknown => {
    const result = changes.transactionScope(fn);
    if (isThenable(result)) {
      // Rolls back: an async body would run after the commit, outside the transaction.
      throw new CofferError('INTERNAL', 'vault.transaction() needs a synchronous function.');
    }
    return result;
  });
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
      let result: T;
      try {
        result = runInTransaction.immediate(fn) as T;
      } catch (error) {
        throw fromSqliteError(error);
      }
      if (!db.inTransaction) changes.committed();
      return result;
    },
    async transactionInSteps<T, Y>(
      steps: Iterator<Y, T>,
      between: (yielded: Y) => Promise<void>,
    ): Promise<T> {
      let result: T;
      try {
        result = await gate.run(steps, between);
      } catch (error) {
        throw fromSqliteError(error);
      }
      changes.committed();
      return result;
    },
    close(): void {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

/** The database file's path, once it is known to exist and not be empty. */
export function assertVaultDbFile(dir: string): string {
  const file = vaultDbPath(dir);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) {
    throw new CofferError('VAULT_NOT_FOUND', `The vault database ${file} is missing.`);
  }
  if (stat.size === 0) {
    // An empty file would accept any key; it can only be a damaged or truncated vault.
    throw new CofferError('VAULT_CORRUPT', `The vault database ${file} is empty.`);
  }
  return file;
}

function assertNoVault(dir: string): void {
  if (fs.existsSync(vaultManifestPath(dir))) {
    throw new CofferError('VAULT_EXISTS', `A vault already exists in ${dir}.`);
  }
  if (fs.existsSync(vaultDbPath(dir))) {
    throw new CofferError(
      'VAULT_EXISTS',
      `${vaultDbPath(dir)} exists without vault.json: an earlier creation did not finish, or vault.json was removed. Move the directory aside before creating a vault here.`,
    );
  }
}

/**
 * A key file inside the vault directory would travel with every copy of the vault. Both
 * paths are compared after resolving symlinks, so neither a link to the vault directory
 * nor a key-file path through a link into it slips past.
 */
export function assertKeyFileOutside(dir: string, keyStore: KeyStore): void {
  if (!(keyStore instanceof KeyFileKeyStore)) return;
  if (isSameOrInside(resolveThroughLinks(dir), resolveThroughLinks(keyStore.file))) {
    throw new CofferError(
      'INVALID_INPUT',
      'The key file must not be inside the vault directory; keep it apart from the vault it opens.',
    );
  }
}

function discardIncompleteVault(dir: string): void {
  for (const file of vaultDbFiles(dir)) fs.rmSync(file, { force: true });
  try {
    fsyncDir(dir);
  } catch {
    // best effort: the directory may not exist if mkdir itself failed
  }
}

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
