/**
 * The scale section: a thousand devices, each a session of its own with its sync
 * WebSocket open, over TLS 1.3 on loopback — first on one server instance (SQLite), then,
 * in the same run and under the same load, on two instances sharing one PostgreSQL, where
 * most announcements cross instances. One device of each workspace pushes at a steady
 * overall rate (open loop); every other device of the workspace must hear of the new seq on
 * its socket. Then backup and restore of a server holding a million changes, with the
 * operator's commands, on SQLite and on PostgreSQL. README "The scale section" has the rows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startPostgresCluster } from '../sync-server/test/support/postgres-cluster.js';
import type { RowInput } from './report.js';
import { readPinnedCertificate } from './server/pinning.js';
import { startServerProcess } from './server/server-process.js';
import { timeBackupRestore, type BackupRestoreTiming } from './scale/backup-restore.js';
import { startPostgresDeployment } from './scale/postgres-deployment.js';
import { runPushLoad, type PushLoadConfig, type PushLoadResult } from './scale/push-load.js';
import {
  backupRestoreRows,
  FULL_BACKUP_CHANGES,
  oneInstanceRows,
  twoInstanceRows,
} from './scale/scale-rows.js';
import { runServerCommand } from './scale/server-command.js';

export const SCALE_SECTION = 'scale';

export interface ScaleBenchConfig extends PushLoadConfig {
  /** Changes in the log of the server that is backed up and restored. */
  backupChanges: number;
}

/** 100 workspaces × 10 devices: the thousand sockets the server admits by default. */
export const FULL_SCALE_CONFIG: ScaleBenchConfig = {
  workspaces: 100,
  devicesPerWorkspace: 10,
  pushesPerSecond: 50,
  seconds: 30,
  backupChanges: FULL_BACKUP_CHANGES,
};

export const QUICK_SCALE_CONFIG: ScaleBenchConfig = {
  workspaces: 10,
  devicesPerWorkspace: 5,
  pushesPerSecond: 10,
  seconds: 5,
  backupChanges: 20_000,
};

/** Instances sharing the PostgreSQL database. */
const POSTGRES_INSTANCES = 2;
const SCALE_SERVER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'scale',
  'scale-server.main.ts',
);

export async function runScaleBench(options: {
  config: ScaleBenchConfig;
  dataDir: string;
  log: (line: string) => void;
}): Promise<RowInput[]> {
  const { config, log } = options;
  const scratch = path.join(options.dataDir, 'scale');
  fs.mkdirSync(scratch, { recursive: true });

  const sqlite = await oneSqliteInstance(scratch, config, log);
  const cluster = await startPostgresCluster();
  try {
    const deployment = await startPostgresDeployment({
      scratch,
      entry: SCALE_SERVER,
      count: POSTGRES_INSTANCES,
      cluster,
    });
    let postgres: PushLoadResult;
    try {
      postgres = await runPushLoad({
        instances: deployment.instances,
        pin: deployment.pin,
        config,
        label: `${POSTGRES_INSTANCES} instances, PostgreSQL`,
        log,
      });
    } finally {
      await deployment.stopInstances();
    }

    const commandStartMs = (await runServerCommand(['--help'])).ms;
    const backups: BackupRestoreTiming[] = [];
    for (const kind of ['sqlite', 'postgres'] as const) {
      backups.push(
        await timeBackupRestore({
          kind,
          scratch,
          setupEntry: SCALE_SERVER,
          cluster,
          changes: config.backupChanges,
          log,
        }),
      );
    }
    return [
      ...oneInstanceRows(config, sqlite),
      ...twoInstanceRows(config, postgres, sqlite, POSTGRES_INSTANCES),
      ...backups.flatMap((timing) => backupRestoreRows(timing, commandStartMs)),
    ];
  } finally {
    await cluster.stop();
  }
}

async function oneSqliteInstance(
  scratch: string,
  config: PushLoadConfig,
  log: (line: string) => void,
): Promise<PushLoadResult> {
  const dataDir = path.join(scratch, 'server');
  const server = await startServerProcess({
    entry: SCALE_SERVER,
    dataDir,
    keyFile: path.join(scratch, 'master.key'),
    logFile: path.join(scratch, 'server.log'),
    args: ['--trust-proxy', '127.0.0.1'],
    startTimeoutMs: 60_000,
  });
  try {
    return await runPushLoad({
      instances: [server],
      pin: readPinnedCertificate(dataDir, server.fingerprint),
      config,
      label: 'one instance, SQLite',
      log,
    });
  } finally {
    await server.stop();
  }
}
