import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BackupError } from '../backup/backup-error.js';
import { createBackup } from '../backup/create-backup.js';
import { restoreBackup } from '../backup/restore-backup.js';
import type { RestoreOptions } from '../backup/restore-backup.js';
import { generateMasterKey, writeMasterKeyFile } from '../secrets/master-key.js';
import { register, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { keyEncodings } from './backup-support.js';
import { freshPostgresUrl } from './support/postgres-test-database.js';
import { runServerCommand } from './support/spawn-server-process.js';

/**
 * Every way a backup or restore must refuse, and that a refused restore changes nothing:
 * no data dir appears, no table is made. The file itself never holds the master key.
 */
let root: string;
let sqliteServer: AccountsTestServer;
let postgresServer: AccountsTestServer;
let sqliteBackup: string;
let postgresBackup: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'coffer-backup-refusals-'));
  sqliteServer = await startAccountsServer();
  postgresServer = await startAccountsServer({
    config: {
      storage: 'postgres',
      databaseUrl: await freshPostgresUrl(),
      keyFile: path.join(root, 'pg-master-key'),
    },
  });
  // A user gives each database a sealed value for the key check to open.
  await register(sqliteServer);
  await register(postgresServer);
  sqliteBackup = path.join(root, 'sqlite.backup');
  postgresBackup = path.join(root, 'postgres.backup');
  await createBackup({ config: sqliteServer.config, out: sqliteBackup, force: false });
  await createBackup({ config: postgresServer.config, out: postgresBackup, force: false });
}, 120_000);
afterAll(async () => {
  await sqliteServer?.close();
  await postgresServer?.close();
  await rm(root, { recursive: true, force: true });
});

const newDir = (): string => path.join(root, `target-${randomBytes(6).toString('hex')}`);

const sqliteRestore = (from: string, dataDir = newDir()): RestoreOptions => ({
  config: { dataDir, storage: 'sqlite', databaseUrl: undefined, keyFile: sqliteServer.keyFile },
  from,
});

/** The restore is refused with `message` and the exit status, and the data dir is not made. */
async function expectRefused(
  options: RestoreOptions,
  message: RegExp,
  exitCode: 1 | 2,
): Promise<void> {
  const error = await restoreBackup(options).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(BackupError);
  expect((error as BackupError).message).toMatch(message);
  expect((error as BackupError).message).toMatch(/nothing was restored/i);
  expect((error as BackupError).exitCode).toBe(exitCode);
  await expect(readdir(options.config.dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
}

async function copyWith(change: (bytes: Buffer) => Buffer): Promise<string> {
  const file = path.join(root, `changed-${randomBytes(6).toString('hex')}.backup`);
  await writeFile(file, change(await readFile(sqliteBackup)));
  return file;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('what a backup file holds', () => {
  it('never the master key: not raw, hex, base64 or the key file text', async () => {
    for (const [file, keyFile] of [
      [sqliteBackup, sqliteServer.keyFile],
      [postgresBackup, postgresServer.keyFile],
    ] as const) {
      const bytes = await readFile(file);
      const encodings = await keyEncodings(keyFile);
      for (const encoding of encodings) expect(bytes.includes(encoding), file).toBe(false);
      // The check is able to find them: the key file's own bytes hold its text.
      expect((await readFile(keyFile)).includes(encodings[0] ?? Buffer.alloc(1))).toBe(true);
    }
  });
});

describe('restore refuses, changing nothing', () => {
  it('a backup cut short', async () => {
    const truncated = await copyWith((bytes) => bytes.subarray(0, bytes.length - 100));
    await expectRefused(sqliteRestore(truncated), /truncated/, 1);
    const headerOnly = await copyWith((bytes) => bytes.subarray(0, 200));
    await expectRefused(sqliteRestore(headerOnly), /truncated|header is incomplete/, 1);
  });

  it('one altered byte in the content, or in the header', async () => {
    const content = await copyWith((bytes) => {
      const copy = Buffer.from(bytes);
      const at = copy.length - 5_000;
      copy[at] = (copy[at] ?? 0) ^ 0x01;
      return copy;
    });
    await expectRefused(sqliteRestore(content), /SHA-256 does not match/, 1);
    const header = await copyWith((bytes) => {
      const text = bytes.toString('latin1');
      const at = text.indexOf('"createdAt":"') + '"createdAt":"'.length + 3;
      const copy = Buffer.from(bytes);
      copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
      return copy;
    });
    await expectRefused(sqliteRestore(header), /SHA-256 does not match/, 1);
  });

  it('a file that is not a backup', async () => {
    const other = path.join(root, 'random.bin');
    await writeFile(other, randomBytes(4096));
    await expectRefused(sqliteRestore(other), /not a Coffer server backup/, 1);
    const later = await copyWith((bytes) => {
      const copy = Buffer.from(bytes);
      copy[bytes.indexOf(0x0a) - 1] = 0x32;
      return copy;
    });
    await expectRefused(sqliteRestore(later), /another format version.*coffer-server-backup 1/, 1);
    await expectRefused(sqliteRestore(path.join(root, 'missing.backup')), /does not exist/, 2);
  });

  it('a PostgreSQL backup restored with --storage sqlite, and the other way round', async () => {
    await expectRefused(
      sqliteRestore(postgresBackup),
      /backup of a server on PostgreSQL, not SQLite.*--storage postgres/,
      2,
    );
    await expectRefused(
      {
        config: {
          dataDir: newDir(),
          storage: 'postgres',
          databaseUrl: await freshPostgresUrl(),
          keyFile: sqliteServer.keyFile,
        },
        from: sqliteBackup,
      },
      /backup of a server on SQLite, not PostgreSQL/,
      2,
    );
  });

  it('a master key that does not open the backup, and a missing key file', async () => {
    const otherKey = path.join(root, `other-key-${randomBytes(4).toString('hex')}`);
    await writeMasterKeyFile(otherKey, generateMasterKey());
    const options = sqliteRestore(sqliteBackup);
    await expectRefused(
      { ...options, config: { ...options.config, keyFile: otherKey } },
      /does not open this backup's sealed values/,
      1,
    );
    await expectRefused(
      { ...options, config: { ...options.config, keyFile: path.join(root, 'no-such-key') } },
      /does not exist/,
      2,
    );
  });

  it('a PostgreSQL schema that is not empty', async () => {
    const databaseUrl = await freshPostgresUrl();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('CREATE TABLE kept (note text)');
      await client.query("INSERT INTO kept VALUES ('mine')");
      await expectRefused(
        {
          config: {
            dataDir: newDir(),
            storage: 'postgres',
            databaseUrl,
            keyFile: postgresServer.keyFile,
          },
          from: postgresBackup,
        },
        /is not empty/,
        2,
      );
      const tables = await client.query<{ name: string }>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
      );
      expect(tables.rows).toEqual([{ name: 'kept' }]);
      expect((await client.query('SELECT note FROM kept')).rows).toEqual([{ note: 'mine' }]);
    } finally {
      await client.end();
    }
  });
});

describe('the commands answer a clear error and exit status', { timeout: 180_000 }, () => {
  it('restore into a data dir that is not empty: exit 2, the folder as it was', async () => {
    const dataDir = newDir();
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'notes.txt'), 'keep me');
    const result = await runServerCommand({
      dataDir,
      args: ['restore', '--from', sqliteBackup, '--key-file', sqliteServer.keyFile],
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/data dir .* is not empty \(notes\.txt\).*Nothing was restored/);
    expect(await readdir(dataDir)).toEqual(['notes.txt']);
    expect(await readFile(path.join(dataDir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('restore with the wrong key file: exit 1, no data dir', async () => {
    const otherKey = path.join(root, `cli-other-key-${randomBytes(4).toString('hex')}`);
    await writeMasterKeyFile(otherKey, generateMasterKey());
    const dataDir = newDir();
    const result = await runServerCommand({
      dataDir,
      args: ['restore', '--from', sqliteBackup, '--key-file', otherKey],
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/does not open this backup's sealed values/);
    await expect(readdir(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('backup without --out: exit 2 and the usage', async () => {
    const result = await runServerCommand({ dataDir: sqliteServer.dataDir, args: ['backup'] });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/backup needs --out FILE[\s\S]*usage:/);
  });

  it('backup of a data dir that does not exist: exit 2, no file', async () => {
    const out = path.join(root, 'never.backup');
    const result = await runServerCommand({ dataDir: newDir(), args: ['backup', '--out', out] });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/data dir .* does not exist/);
    await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('backup onto an existing file: exit 2 and the file untouched; --force replaces it', async () => {
    const out = path.join(root, 'existing.backup');
    const mine = randomBytes(64);
    await writeFile(out, mine);
    const refused = await runServerCommand({
      dataDir: sqliteServer.dataDir,
      args: ['backup', '--out', out],
    });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/already exists.*--force/);
    expect(await readFile(out)).toEqual(mine);
    await createBackup({ config: sqliteServer.config, out, force: true });
    expect((await readFile(out)).subarray(0, 21).toString()).toBe('coffer-server-backup ');
  });

  it('backup from a database that cannot be reached: exit 1, the password never shown', async () => {
    const password = `pw${randomBytes(9).toString('hex')}`;
    const out = path.join(root, 'unreachable.backup');
    const result = await runServerCommand({
      dataDir: postgresServer.dataDir,
      args: [
        'backup',
        '--out',
        out,
        '--storage',
        'postgres',
        '--database-url',
        `postgres://coffer:${password}@127.0.0.1:${await closedPort()}/coffer`,
      ],
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/could not reach the PostgreSQL database/);
    expect(result.stderr + result.stdout).not.toContain(password);
    await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('backup onto a full disk: exit 1, no file and no leftovers', async () => {
    const folder = path.join(root, 'small-disk');
    await mkdir(folder);
    const out = path.join(folder, 'full.backup');
    const result = await runServerCommand({
      dataDir: sqliteServer.dataDir,
      args: ['backup', '--out', out],
      // Well under the database's size: the write fails part way.
      fileSizeLimitKiB: 64,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /could not (copy the database|write the backup).*no backup file was left/,
    );
    expect(await readdir(folder)).toEqual([]);
  });
});
