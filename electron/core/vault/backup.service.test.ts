import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { backupVault } from './backup.service.js';
import { KeyFileKeyStore } from './key-file.key-store.js';
import type { KeyStore } from './key-store.js';
import { rekeyVault } from './rekey.service.js';
import { restoreBackup } from './restore.service.js';
import { oracleQuery } from './test-fixtures/sqlcipher-oracle.js';
import { keyNeedles, textNeedles } from './test-fixtures/scan-files.js';
import { BATCH_ROWS, holdVault } from './test-fixtures/vault-holder.js';
import { createVault, openVault } from './vault.js';
import { readVaultManifest, vaultDbPath } from './vault-files.js';
import { vaultKeyId } from './vault-key-wrap.js';

/**
 * Proof: a backup is a consistent copy of the vault taken while it is in use, never
 * decrypted on disk, carrying the vault.json whose wrap opens its database; a restore
 * refuses damaged files and non-empty folders without writing half a vault.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-backup-test-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function tempVault(): Promise<TempVault> {
  const temp = await createTempVault();
  cleanups.push(() => temp.cleanup());
  return temp;
}

const marker = (what: string) => `COFFER-BACKUP-MARKER-${what}-${randomUUID()}`;

function notes(dir: string, keyStore: KeyStore): Promise<string[]> {
  return openVault({ dir, keyStore }).then((vault) => {
    try {
      return vault.db.prepare('SELECT body FROM notes ORDER BY rowid').pluck().all() as string[];
    } finally {
      vault.close();
    }
  });
}

async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

/** The single database file inside a backup, restored into a fresh folder. */
function restoredDatabase(backup: string): { dir: string; file: string } {
  const dir = path.join(scratch(), 'restored');
  restoreBackup(backup, dir);
  return { dir, file: vaultDbPath(dir) };
}

describe('backupVault', () => {
  it('holds no plaintext and no key; independent SQLCipher opens its database with the key only', async () => {
    const { vault, keyStore } = await tempVault();
    const row = marker('ROW');
    const blob = marker('BLOB');
    vault.db.exec('CREATE TABLE notes (body TEXT, data BLOB)');
    vault.transaction(() =>
      vault.db.prepare('INSERT INTO notes VALUES (?, ?)').run(row, Buffer.from(blob)),
    );
    const key = (await keyStore.get(vault.vaultId)) as Buffer;
    const out = path.join(scratch(), 'coffer.backup');
    const result = backupVault(vault, out);
    expect(result).toMatchObject({ vaultId: vault.vaultId, file: out });

    const bytes = fs.readFileSync(out);
    expect(result.bytes).toBe(bytes.length);
    for (const needle of [
      ...textNeedles('row marker', row),
      ...textNeedles('blob marker', blob),
      ...keyNeedles('vault key', key),
    ]) {
      expect(bytes.includes(needle.bytes), needle.label).toBe(false);
    }
    if (process.platform !== 'win32') expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['coffer.backup']); // no staging left

    const { file } = restoredDatabase(out);
    expect(await oracleQuery(file, key, 'SELECT body FROM notes')).toEqual([{ body: row }]);
    await expect(oracleQuery(file, null, 'SELECT count(*) FROM sqlite_master')).rejects.toThrow(
      /not a database|SQLITE_NOTADB/,
    );
    const wrong = Buffer.from(key);
    wrong[0] = (wrong[0] as number) ^ 0xff;
    await expect(oracleQuery(file, wrong, 'SELECT count(*) FROM sqlite_master')).rejects.toThrow(
      /not a database|SQLITE_NOTADB/,
    );
  });

  it('restores into a new folder what was written before it, with the vault.json of its key', async () => {
    const { vault, keyStore, dir } = await tempVault();
    vault.db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('before')");
    const backup = path.join(scratch(), 'coffer.backup');
    backupVault(vault, backup);
    const keyAtBackup = (await keyStore.get(vault.vaultId)) as Buffer;
    await rekeyVault(vault, keyStore);
    vault.db.exec("INSERT INTO notes VALUES ('after')");
    vault.close();

    const restored = path.join(scratch(), 'restored');
    expect(restoreBackup(backup, restored)).toMatchObject({
      vaultId: vault.vaultId,
      dir: restored,
    });
    const manifest = readVaultManifest(restored);
    expect(manifest.recovery?.wrappedKeys.map((w) => w.keyId)).toEqual([vaultKeyId(keyAtBackup)]);
    expect(fs.readdirSync(restored).sort()).toEqual(['coffer.vault', 'vault.json']);
    if (process.platform !== 'win32') expect(fs.statSync(restored).mode & 0o777).toBe(0o700);

    const atBackup = new (await import('./memory.key-store.js')).MemoryKeyStore();
    await atBackup.set(vault.vaultId, keyAtBackup);
    expect(await notes(restored, atBackup)).toEqual(['before']);
    expect(await notes(dir, keyStore)).toEqual(['before', 'after']);
  });

  it('copies a consistent snapshot while another process holds an uncommitted write', async () => {
    const root = scratch();
    const keyFile = path.join(root, 'coffer.key');
    const keyStore = new KeyFileKeyStore(keyFile);
    const vault = await createVault({ dir: path.join(root, 'vault'), keyStore });
    cleanups.push(() => vault.close());
    const holder = await holdVault('write-lock', vault.dir, keyFile);
    let backup: string;
    try {
      backup = path.join(root, 'during-write.backup');
      backupVault(vault, backup); // a reader: neither blocked by the writer nor blocking it
    } finally {
      await holder.release();
    }
    const restored = restoredDatabase(backup);
    const copy = await openVault({ dir: restored.dir, keyStore });
    try {
      expect(copy.db.prepare("SELECT value FROM meta WHERE key = 'holder'").get()).toBeUndefined();
      expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      copy.close();
    }
  });

  it('holds only whole transactions while another process keeps committing', async () => {
    const root = scratch();
    const keyFile = path.join(root, 'coffer.key');
    const keyStore = new KeyFileKeyStore(keyFile);
    const vault = await createVault({ dir: path.join(root, 'vault'), keyStore });
    cleanups.push(() => vault.close());
    // Enough data that each copy takes a while: many pages for the writer to change meanwhile.
    vault.db.exec('CREATE TABLE ballast (body BLOB)');
    vault.transaction(() => {
      const insert = vault.db.prepare('INSERT INTO ballast VALUES (?)');
      for (let i = 0; i < 4000; i++) insert.run(Buffer.alloc(2000, i % 251));
    });
    const writer = await holdVault('writer', vault.dir, keyFile);
    const backups: string[] = [];
    let summary: Record<string, unknown>;
    try {
      for (let i = 0; i < 3; i++) {
        backups.push(path.join(root, `busy-${i}.backup`));
        backupVault(vault, backups[i] as string);
      }
    } finally {
      summary = await writer.release();
    }
    expect(Number(summary['batches'])).toBeGreaterThan(0);
    for (const backup of backups) {
      const restored = restoredDatabase(backup);
      const copy = await openVault({ dir: restored.dir, keyStore });
      try {
        expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const torn = copy.db
          .prepare('SELECT batch, count(*) AS n FROM holder_probe GROUP BY batch HAVING n <> ?')
          .all(BATCH_ROWS);
        expect(torn).toEqual([]);
        const batches = copy.db
          .prepare('SELECT count(DISTINCT batch) FROM holder_probe')
          .pluck()
          .get();
        expect(Number(batches)).toBeGreaterThan(0);
        expect(copy.db.prepare('SELECT count(*) FROM ballast').pluck().get()).toBe(4000);
      } finally {
        copy.close();
      }
    }
  });

  it('refuses inside a transaction, where SQLite cannot take the copy', async () => {
    const { vault } = await tempVault();
    const out = path.join(scratch(), 'in-tx.backup');
    expect(await codeOf(() => vault.transaction(() => backupVault(vault, out)))).toBe(
      'INVALID_STATE',
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a directory as the backup file, and a missing directory', async () => {
    const { vault } = await tempVault();
    const root = scratch();
    expect(await codeOf(() => backupVault(vault, root))).toBe('INVALID_INPUT');
    expect(await codeOf(() => backupVault(vault, path.join(root, 'no', 'x.backup')))).toBe(
      'FILE_NOT_FOUND',
    );
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('refuses to write the backup inside the vault directory', async () => {
    const { vault, dir } = await tempVault();
    expect(await codeOf(() => backupVault(vault, path.join(dir, 'inside.backup')))).toBe(
      'INVALID_INPUT',
    );
    expect(fs.readdirSync(dir).sort()).not.toContain('inside.backup');
  });
});

describe('restoreBackup', () => {
  async function aBackup(): Promise<{ backup: string; bytes: Buffer; root: string }> {
    const { vault } = await tempVault();
    vault.db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')");
    const root = scratch();
    const backup = path.join(root, 'good.backup');
    backupVault(vault, backup);
    return { backup, bytes: fs.readFileSync(backup), root };
  }

  /** Restoring `bytes` fails with `code` and leaves no vault, no half vault and no staging. */
  async function expectRefused(root: string, bytes: Buffer, code: string): Promise<void> {
    const file = path.join(root, `bad-${randomUUID()}.backup`);
    fs.writeFileSync(file, bytes);
    const parent = path.join(root, `into-${randomUUID()}`);
    fs.mkdirSync(parent);
    const target = path.join(parent, 'vault');
    expect(await codeOf(() => restoreBackup(file, target))).toBe(code);
    expect(fs.readdirSync(parent)).toEqual([]);
  }

  it('refuses a damaged, truncated, extended or foreign file, writing nothing', async () => {
    const { bytes, root } = await aBackup();
    const flipAt = (offset: number) => {
      const copy = Buffer.from(bytes);
      copy[offset] = (copy[offset] as number) ^ 0xff;
      return copy;
    };
    const headerLength = bytes.readUInt32BE(12);
    await expectRefused(root, flipAt(bytes.length - 1000), 'BACKUP_CORRUPT'); // database
    await expectRefused(root, flipAt(16 + headerLength + 5), 'BACKUP_CORRUPT'); // vault.json
    await expectRefused(root, flipAt(16 + 2), 'BACKUP_CORRUPT'); // header
    await expectRefused(root, flipAt(bytes.length - 1), 'BACKUP_CORRUPT'); // digest
    await expectRefused(root, flipAt(0), 'BACKUP_CORRUPT'); // magic
    await expectRefused(root, bytes.subarray(0, bytes.length - 1), 'BACKUP_CORRUPT');
    await expectRefused(root, bytes.subarray(0, bytes.length >> 1), 'BACKUP_CORRUPT');
    await expectRefused(root, bytes.subarray(0, 20), 'BACKUP_CORRUPT');
    await expectRefused(root, Buffer.concat([bytes, Buffer.from([0])]), 'BACKUP_CORRUPT');
    await expectRefused(root, Buffer.from('{"not":"a backup"}'), 'BACKUP_CORRUPT');
    await expectRefused(root, Buffer.alloc(0), 'BACKUP_CORRUPT');
  });

  it('refuses a folder that is not empty, and a file in the way, changing neither', async () => {
    const { backup, root } = await aBackup();
    const busy = path.join(root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'keep.txt'), 'mine');
    expect(await codeOf(() => restoreBackup(backup, busy))).toBe('DIRECTORY_NOT_EMPTY');
    expect(fs.readdirSync(busy)).toEqual(['keep.txt']);
    const fileInTheWay = path.join(root, 'a-file');
    fs.writeFileSync(fileInTheWay, 'mine');
    expect(await codeOf(() => restoreBackup(backup, fileInTheWay))).toBe('DIRECTORY_NOT_EMPTY');
    expect(fs.readFileSync(fileInTheWay, 'utf8')).toBe('mine');
    expect(fs.readdirSync(root).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('restores into an existing empty folder', async () => {
    const { backup, root } = await aBackup();
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    restoreBackup(backup, empty);
    expect(fs.readdirSync(empty).sort()).toEqual(['coffer.vault', 'vault.json']);
  });

  it('reports a missing backup file as FILE_NOT_FOUND', async () => {
    const root = scratch();
    expect(await codeOf(() => restoreBackup(path.join(root, 'nope'), path.join(root, 'v')))).toBe(
      'FILE_NOT_FOUND',
    );
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
