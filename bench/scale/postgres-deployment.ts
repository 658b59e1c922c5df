/**
 * Two scale-server instances of one deployment on a throw-away PostgreSQL cluster, as
 * docs/self-hosting.md ("Several instances on PostgreSQL") sets them up: one database, one
 * master key file, the second data dir given the first's certificate (`cp -a …/tls`)
 * before its first start, so one pinned certificate serves both.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

import { startPostgresCluster } from '../../sync-server/test/support/postgres-cluster.js';
import type { PostgresCluster } from '../../sync-server/test/support/postgres-cluster.js';
import { readPinnedCertificate, type PinnedCertificate } from '../server/pinning.js';
import { startServerProcess, type ServerProcess } from '../server/server-process.js';

const execFileAsync = promisify(execFile);

export interface PostgresDeployment {
  cluster: PostgresCluster;
  databaseUrl: string;
  keyFile: string;
  instances: ServerProcess[];
  pin: PinnedCertificate;
  /** Stops the instances (not the cluster). */
  stopInstances(): Promise<void>;
}

/** A new empty database in `cluster`; its URL. */
export async function createDatabase(cluster: PostgresCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return cluster.urlFor(name);
}

export async function startPostgresDeployment(options: {
  scratch: string;
  /** The server entry point (the scale server). */
  entry: string;
  count: number;
  cluster?: PostgresCluster;
}): Promise<PostgresDeployment> {
  const cluster = options.cluster ?? (await startPostgresCluster());
  const instances: ServerProcess[] = [];
  const stopInstances = async (): Promise<void> => {
    for (const instance of instances.splice(0).reverse()) await instance.stop();
  };
  try {
    const databaseUrl = await createDatabase(cluster, 'coffer_scale');
    const keyFile = path.join(options.scratch, 'pg.master.key');
    const dataDirs = Array.from({ length: options.count }, (_unused, n) =>
      path.join(options.scratch, `pg-instance-${n + 1}`),
    );
    for (const [n, dataDir] of dataDirs.entries()) {
      if (n > 0) {
        fs.mkdirSync(dataDir, { mode: 0o700 });
        await execFileAsync('cp', [
          '-a',
          path.join(dataDirs[0]!, 'tls'),
          path.join(dataDir, 'tls'),
        ]);
      }
      instances.push(
        await startServerProcess({
          entry: options.entry,
          dataDir,
          keyFile,
          logFile: `${dataDir}.log`,
          args: [
            '--trust-proxy',
            '127.0.0.1',
            '--storage',
            'postgres',
            '--database-url',
            databaseUrl,
          ],
          startTimeoutMs: 120_000,
        }),
      );
    }
    const first = instances[0]!;
    if (instances.some((instance) => instance.fingerprint !== first.fingerprint)) {
      throw new Error('the instances present different certificates');
    }
    return {
      cluster,
      databaseUrl,
      keyFile,
      instances,
      pin: readPinnedCertificate(dataDirs[0]!, first.fingerprint),
      stopInstances,
    };
  } catch (error) {
    await stopInstances();
    if (options.cluster === undefined) await cluster.stop();
    throw error;
  }
}
