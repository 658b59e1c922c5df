import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

/**
 * A throw-away PostgreSQL cluster for tests: `initdb` in a temporary folder, `postgres`
 * listening on 127.0.0.1 on a free port (its unix socket inside that folder), a superuser
 * with a random password, nothing written to disk durably (fsync off). `stop` shuts it down
 * and removes the folder; a watchdog does both if the process that started it dies first.
 *
 * PostgreSQL refuses to run as root: as root the binaries run as the `postgres` system
 * user, which owns the folder; otherwise as the current user.
 */
export interface PostgresCluster {
  /** `postgres://` URL of the `postgres` maintenance database, as the superuser. */
  readonly adminUrl: string;
  /** The same server and credentials, another database. */
  urlFor(database: string): string;
  /**
   * Shuts the server down (fast shutdown: open connections are cut) and keeps its data, as
   * an operator's restart does; `start` brings it back on the same port.
   */
  halt(): Promise<void>;
  /** Starts the server again after `halt`; resolves once it accepts connections. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SUPERUSER = 'coffer_test';

export class PostgresMissingError extends Error {
  constructor(detail: string) {
    super(
      `PostgreSQL is needed for the server's PostgreSQL storage tests but ${detail}. ` +
        'Install it with `bash build/scripts/install-system-deps.sh` (Debian package postgresql).',
    );
    this.name = 'PostgresMissingError';
  }
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (newest === undefined) throw new PostgresMissingError(`no ${root}/*/bin/initdb was found`);
  return path.join(root, newest, 'bin');
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Whom the server runs as: `postgres` when we are root, else nobody in particular. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new PostgresMissingError(
      'running as root needs the `postgres` system user, and there is none',
    );
  }
}

async function freePort(): Promise<number> {
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

async function waitUntilReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (server.exitCode !== null) {
      throw new Error(`postgres exited with status ${server.exitCode}:\n${log()}`);
    }
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`postgres did not accept connections within 30 s:\n${log()}`);
}

/**
 * Kills the server and removes the folder once `parent` is gone, in case the test run ends
 * without calling `stop` (killed, or crashed past its teardown).
 */
function startWatchdog(parent: number, serverPid: number, dir: string): ChildProcess {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'kill -INT "$2" 2>/dev/null; sleep 3; kill -KILL "$2" 2>/dev/null; rm -rf "$3"';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(parent), String(serverPid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const user = runAs();
  const dir = mkdtempSync(path.join(tmpdir(), 'coffer-pg-'));
  const data = path.join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const passwordFile = path.join(dir, 'password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  chmodSync(dir, 0o700);
  const spawnOptions = { cwd: dir, ...(user ?? {}) };

  try {
    execFileSync(
      path.join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        SUPERUSER,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { ...spawnOptions, stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || String(error)}`);
  }
  rmSync(passwordFile);

  const port = await freePort();
  let log = '';
  const launch = (): { server: ChildProcess; exited: Promise<void>; watchdog?: ChildProcess } => {
    const server = spawn(
      path.join(bin, 'postgres'),
      [
        '-D',
        data,
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-k',
        dir,
        // A test cluster: its data is thrown away, so nothing needs to reach the disk.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
        '-c',
        'shared_buffers=32MB',
      ],
      { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8_000);
    });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    const watchdog =
      server.pid === undefined ? undefined : startWatchdog(process.pid, server.pid, dir);
    return { server, exited, ...(watchdog === undefined ? {} : { watchdog }) };
  };
  let current = launch();

  const urlFor = (database: string): string =>
    `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${database}`;
  const halt = async (): Promise<void> => {
    const { server, exited, watchdog } = current;
    // Stopped first, so it can never signal a later process that reuses the server's pid.
    watchdog?.kill('SIGKILL');
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGINT');
      await exited;
    }
  };
  const stop = async (): Promise<void> => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  const start = async (): Promise<void> => {
    await halt();
    current = launch();
    await waitUntilReady(urlFor('postgres'), current.server, () => log);
  };
  try {
    await waitUntilReady(urlFor('postgres'), current.server, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { adminUrl: urlFor('postgres'), urlFor, halt, start, stop };
}
