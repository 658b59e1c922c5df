/**
 * Backup and restore of a server holding many changes, with the real commands an operator
 * runs (`npm run server -- backup …` and `restore …`, docs/self-hosting.md "Backups"), for
 * SQLite and for PostgreSQL. The change log is filled with SQL first (change-log-fill.ts);
 * the backup is taken while the server runs, as the docs intend; the restored copy is
 * started and must answer for exactly as many changes as the source held.
 * Beside each, the plain copy the storage offers without Coffer: the database file copied
 * and flushed (SQLite), `pg_dump` to a file and `psql` of it into an empty database
 * (PostgreSQL).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import Database from 'better-sqlite3';
import pg from 'pg';

import { databasePath } from '../../sync-server/data-dir.js';
import { openPostgresStorage } from '../../sync-server/storage/postgres/postgres-storage.js';
import { openSqliteStorage } from '../../sync-server/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../sync-server/storage/storage.js';
import type { PostgresCluster } from '../../sync-server/test/support/postgres-cluster.js';
import { ApiClient, errorCodeOf } from '../server/api-client.js';
import { pinnedAgent, readPinnedCertificate } from '../server/pinning.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';
import {
  fillPostgresChangeLog,
  fillSqliteChangeLog,
  planFill,
  type FillPlan,
} from './change-log-fill.js';
import { createDatabase } from './postgres-deployment.js';
import { setUpWorkspaces, type ScaleWorkspace } from './scale-devices.js';
import { runServerCommand } from './server-command.js';

const execFileAsync = promisify(execFile);

export interface BackupRestoreTiming {
  storage: 'SQLite' | 'PostgreSQL';
  changes: number;
  fillMs: number;
  backupMs: number;
  restoreMs: number;
  backupBytes: number;
  /** The plain copy's two halves (for SQLite both are a file copy). */
  plainBackupMs: number;
  plainRestoreMs: number;
  plainBackupBytes: number;
}

/** How one storage kind is set up, filled, copied plainly and counted. */
interface StorageKind {
  name: BackupRestoreTiming['storage'];
  /** Server and backup flags naming the source database. */
  sourceFlags: string[];
  /** Restore flags naming an empty target database, made on demand. */
  targetFlags(name: string): Promise<string[]>;
  openStorage(dataDir: string): Promise<Storage>;
  /** Writes the plan's changes, the server stopped. */
  fill(dataDir: string, plan: FillPlan): Promise<void>;
  plainBackup(dataDir: string, out: string): Promise<void>;
  plainRestore(dump: string, name: string): Promise<void>;
  /** Rows in the change log of the copy a restore made (`targetFlags(name)`, data dir). */
  countChanges(name: string, dataDir: string, workspaceId: string): Promise<number>;
}

export async function timeBackupRestore(options: {
  kind: 'sqlite' | 'postgres';
  scratch: string;
  /** The scale server entry (cheap Argon2 for the one sign-up). */
  setupEntry: string;
  cluster?: PostgresCluster;
  changes: number;
  log: (line: string) => void;
}): Promise<BackupRestoreTiming> {
  const dir = path.join(options.scratch, `backup-${options.kind}`);
  fs.mkdirSync(dir, { recursive: true });
  const kind =
    options.kind === 'sqlite'
      ? sqliteKind()
      : await postgresKind(requireCluster(options.cluster), dir);
  const dataDir = path.join(dir, 'server');
  // The default place (`<data-dir>.master-key`), so the commands below are the docs' own.
  const keyFile = `${dataDir}.master-key`;
  const start = (entry: string | undefined, where: string): Promise<ServerProcess> =>
    startServerProcess({
      ...(entry === undefined ? {} : { entry }),
      dataDir: where,
      keyFile,
      logFile: `${where}.log`,
      args: kind.sourceFlags,
      startTimeoutMs: 120_000,
    });

  let server = await start(options.setupEntry, dataDir);
  let workspace: ScaleWorkspace;
  try {
    const api = new ApiClient(
      server.url,
      pinnedAgent(readPinnedCertificate(dataDir, server.fingerprint), 1),
    );
    try {
      [workspace] = (await setUpWorkspaces(api, {
        workspaces: 1,
        devicesPerWorkspace: 1,
        runId: `${process.pid}-${Date.now()}-backup-${options.kind}`,
        concurrency: 1,
      })) as [ScaleWorkspace];
    } finally {
      api.close();
    }
  } finally {
    await server.stop();
  }

  const fillStarted = performance.now();
  const storage = await kind.openStorage(dataDir);
  let plan: FillPlan;
  try {
    plan = await planFill(storage, workspace.id, options.changes);
  } finally {
    await storage.close();
  }
  await kind.fill(dataDir, plan);
  const fillMs = performance.now() - fillStarted;
  options.log(
    `scale (backup, ${kind.name}): ${options.changes} changes written in ${(fillMs / 1000).toFixed(1)} s`,
  );

  const plainOut = path.join(dir, 'plain-copy');
  const plainBackupMs = await timed(() => kind.plainBackup(dataDir, plainOut));
  const plainRestoreMs = await timed(() => kind.plainRestore(plainOut, 'coffer_plain_restore'));
  const plainBackupBytes = fs.statSync(plainOut).size;

  const backupFile = path.join(dir, 'coffer-server.backup');
  server = await start(undefined, dataDir);
  let backupMs: number;
  try {
    await expectHead(server, dataDir, workspace, options.changes);
    backupMs = (
      await runServerCommand([
        'backup',
        ...kind.sourceFlags,
        '--data-dir',
        dataDir,
        '--out',
        backupFile,
      ])
    ).ms;
  } finally {
    await server.stop();
  }
  const backupBytes = fs.statSync(backupFile).size;

  const restoredDir = path.join(dir, 'restored');
  const targetFlags = await kind.targetFlags('coffer_restored');
  const restoreMs = (
    await runServerCommand([
      'restore',
      ...targetFlags,
      '--data-dir',
      restoredDir,
      '--from',
      backupFile,
      '--key-file',
      keyFile,
    ])
  ).ms;
  const restored = await startServerProcess({
    dataDir: restoredDir,
    keyFile,
    logFile: `${restoredDir}.log`,
    args: targetFlags,
    startTimeoutMs: 120_000,
  });
  try {
    await expectHead(restored, restoredDir, workspace, options.changes);
  } finally {
    await restored.stop();
  }
  const counted = await kind.countChanges('coffer_restored', restoredDir, workspace.id);
  if (counted !== options.changes) {
    throw new Error(`the restored ${kind.name} log holds ${counted} of ${options.changes} changes`);
  }
  options.log(
    `scale (backup, ${kind.name}): backup ${(backupMs / 1000).toFixed(1)} s (${(backupBytes / 2 ** 20).toFixed(0)} MiB), restore ${(restoreMs / 1000).toFixed(1)} s; plain copy ${(plainBackupMs / 1000).toFixed(1)} s + ${(plainRestoreMs / 1000).toFixed(1)} s`,
  );
  return {
    storage: kind.name,
    changes: options.changes,
    fillMs,
    backupMs,
    restoreMs,
    backupBytes,
    plainBackupMs,
    plainRestoreMs,
    plainBackupBytes,
  };
}

/**
 * The server answers for exactly `changes` changes: the one after seq changes−1 is seq
 * `changes` and nothing follows it. The session made before the fill is in the backup too.
 */
async function expectHead(
  server: ServerProcess,
  dataDir: string,
  workspace: ScaleWorkspace,
  changes: number,
): Promise<void> {
  const api = new ApiClient(
    server.url,
    pinnedAgent(readPinnedCertificate(dataDir, server.fingerprint), 1),
  );
  try {
    const res = await api.request<{ changes?: { seq: number }[]; more?: boolean }>(
      'GET',
      `/v1/workspaces/${workspace.id}/sync/pull?after=${changes - 1}&limit=1`,
      { token: workspace.tokens[0]! },
    );
    const seqs = res.json?.changes?.map((change) => change.seq);
    if (res.status !== 200 || seqs?.length !== 1 || seqs[0] !== changes || res.json?.more) {
      throw new Error(
        `the server at ${dataDir} answered ${res.status} (${errorCodeOf(res.json)}) with seqs ${JSON.stringify(seqs)} for the last of ${changes} changes`,
      );
    }
  } finally {
    api.close();
  }
}

async function timed(job: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await job();
  return performance.now() - started;
}

function requireCluster(cluster: PostgresCluster | undefined): PostgresCluster {
  if (cluster === undefined) throw new Error('the PostgreSQL backup needs a cluster');
  return cluster;
}

/** Copies a file and flushes it to disk, as the backup command flushes its file. */
async function copyFlushed(from: string, to: string): Promise<void> {
  await fs.promises.copyFile(from, to);
  const handle = await fs.promises.open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sqliteKind(): StorageKind {
  return {
    name: 'SQLite',
    sourceFlags: [],
    targetFlags: async () => [],
    openStorage: async (dataDir) => openSqliteStorage(databasePath(dataDir)),
    fill: async (dataDir, plan) => fillSqliteChangeLog(databasePath(dataDir), plan),
    // The server is stopped and its storage closed: the WAL is checkpointed into the file.
    plainBackup: (dataDir, out) => copyFlushed(databasePath(dataDir), out),
    plainRestore: (dump) => copyFlushed(dump, `${dump}.restored`),
    countChanges: async (_name, dataDir, workspaceId) => {
      const db = new Database(databasePath(dataDir), { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare('SELECT count(*) FROM change_log WHERE workspace_id = ?')
          .pluck()
          .get(workspaceId) as number;
      } finally {
        db.close();
      }
    },
  };
}

async function postgresKind(cluster: PostgresCluster, dir: string): Promise<StorageKind> {
  const sourceUrl = await createDatabase(cluster, 'coffer_backup_source');
  const flags = (url: string): string[] => ['--storage', 'postgres', '--database-url', url];
  return {
    name: 'PostgreSQL',
    sourceFlags: flags(sourceUrl),
    targetFlags: async (name) => flags(await createDatabase(cluster, name)),
    openStorage: () => openPostgresStorage(sourceUrl),
    fill: (_dataDir, plan) => fillPostgresChangeLog(sourceUrl, plan),
    plainBackup: async (_dataDir, out) => {
      await execFileAsync('pg_dump', [
        `--dbname=${sourceUrl}`,
        '--format=plain',
        '--no-owner',
        '--no-privileges',
        `--file=${out}`,
      ]);
    },
    plainRestore: async (dump, name) => {
      const url = await createDatabase(cluster, name);
      await execFileAsync(
        'psql',
        [
          '--no-psqlrc',
          '--quiet',
          '--single-transaction',
          '--set=ON_ERROR_STOP=1',
          `--dbname=${url}`,
          `--file=${dump}`,
        ],
        { cwd: dir, maxBuffer: 16 * 2 ** 20 },
      );
    },
    countChanges: async (name, _dataDir, workspaceId) => {
      const client = new pg.Client({ connectionString: cluster.urlFor(name) });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          'SELECT count(*) AS n FROM change_log WHERE workspace_id = $1',
          [workspaceId],
        );
        return Number(rows[0]?.n ?? -1);
      } finally {
        await client.end();
      }
    },
  };
}
