/**
 * The scale section's rows from its measurements (README "The scale section" says what
 * each compares). Pure, so the wording and arithmetic are tested without a server.
 */
import { absoluteRow, type RowInput } from '../report.js';
import { formatNoteMs } from '../server/stats.js';
import type { BackupRestoreTiming } from './backup-restore.js';
import type { PushLoadConfig, PushLoadResult } from './push-load.js';

/** A change reaching the other devices: the bound the design sets across instances. */
export const TARGET_P99_MS = 250;
/** The change count the backup rows are named for; quick runs use fewer. */
export const FULL_BACKUP_CHANGES = 1_000_000;

const count = (n: number): string => n.toLocaleString('en-US');

export function loadDescription(config: PushLoadConfig, deployment: string): string {
  const devices = config.workspaces * config.devicesPerWorkspace;
  return `${devices} devices (${config.workspaces} workspaces × ${config.devicesPerWorkspace}), each its own session and WebSocket, on ${deployment}, over TLS 1.3 on loopback; one device per workspace pushes, ${config.pushesPerSecond} pushes/s in all for ${config.seconds} s (open loop); latency from the push sent to each other device's announcement`;
}

/** The one-instance SQLite rows: latency p50 and p99, and the server's memory. */
export function oneInstanceRows(config: PushLoadConfig, sqlite: PushLoadResult): RowInput[] {
  const devices = config.workspaces * config.devicesPerWorkspace;
  const load = loadDescription(config, 'one instance (SQLite)');
  return [
    {
      name: `scale: write → seen on the workspace’s other devices, ${devices} sockets on one instance, p50`,
      ours_ms: sqlite.latency.p50Ms,
      baseline: 'informational',
      baseline_ms: sqlite.latency.p99Ms,
      target: 'informational',
      notes: `${load}; baseline column: the p99`,
    },
    absoluteRow(
      `scale: write → seen on the workspace’s other devices, ${devices} sockets on one instance, p99`,
      sqlite.latency.p99Ms,
      TARGET_P99_MS,
      `${load}; ${sqlite.latency.count} announcements timed; the pushes themselves answered in p50 ${formatNoteMs(sqlite.pushLatency.p50Ms)} ms, p99 ${formatNoteMs(sqlite.pushLatency.p99Ms)} ms`,
    ),
    {
      name: `scale: server resident memory with ${devices} sockets under that load (MiB, not ms)`,
      ours_ms: sqlite.peakRssMiB,
      baseline: 'signed in, no socket open (MiB)',
      baseline_ms: sqlite.idleRssMiB,
      target: 'informational',
      notes: 'VmRSS of the server process, sampled every 250 ms; the peak',
    },
  ];
}

/**
 * Two instances on one PostgreSQL against the one SQLite instance of the same run: p50
 * informational, p99 judged against the design's bound (the ratio shows the price of the
 * second instance and the database over the network).
 */
export function twoInstanceRows(
  config: PushLoadConfig,
  postgres: PushLoadResult,
  sqlite: PushLoadResult,
  instances: number,
): RowInput[] {
  const devices = config.workspaces * config.devicesPerWorkspace;
  const where = `${instances} instances on one PostgreSQL`;
  const notes =
    `${loadDescription(config, `${where} (each device's socket on one instance, a workspace's pushes alternating between them)`)}; ` +
    `${Math.round(postgres.crossShare * 100)} % of the ${count(postgres.latency.count)} push → socket pairs cross instances (LISTEN/NOTIFY); ` +
    `max ${formatNoteMs(postgres.latency.maxMs)} ms; the pushes themselves answered in p50 ${formatNoteMs(postgres.pushLatency.p50Ms)} ms, p99 ${formatNoteMs(postgres.pushLatency.p99Ms)} ms (SQLite: ${formatNoteMs(sqlite.pushLatency.p50Ms)}, ${formatNoteMs(sqlite.pushLatency.p99Ms)} ms); the instances' VmRSS together ${postgres.peakRssMiB.toFixed(0)} MiB at peak. ` +
    `Baseline: the one SQLite instance under the same load earlier in this run (p50 ${formatNoteMs(sqlite.latency.p50Ms)} ms, p99 ${formatNoteMs(sqlite.latency.p99Ms)} ms); PostgreSQL is a throw-away cluster on this machine (fsync and synchronous_commit off)`;
  return [
    {
      name: `scale: write → seen, ${devices} sockets over ${where}, p50`,
      ours_ms: postgres.latency.p50Ms,
      baseline: 'one instance on SQLite, same run (p50)',
      baseline_ms: sqlite.latency.p50Ms,
      target: 'informational',
      notes,
    },
    {
      name: `scale: write → seen, ${devices} sockets over ${where}, p99`,
      ours_ms: postgres.latency.p99Ms,
      baseline: 'one instance on SQLite, same run (p99)',
      baseline_ms: sqlite.latency.p99Ms,
      target: `${TARGET_P99_MS} ms`,
      notes,
    },
  ];
}

const PLAIN_BACKUP: Record<BackupRestoreTiming['storage'], string> = {
  SQLite: 'the database file copied and flushed',
  PostgreSQL: 'pg_dump --format=plain to a file',
};
const PLAIN_RESTORE: Record<BackupRestoreTiming['storage'], string> = {
  SQLite: 'the same file copied and flushed',
  PostgreSQL: 'psql --single-transaction of that dump into an empty database',
};

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Backup and restore rows of one storage kind, judged by nothing (informational). */
export function backupRestoreRows(timing: BackupRestoreTiming, commandStartMs: number): RowInput[] {
  const scaled =
    timing.changes < FULL_BACKUP_CHANGES
      ? ` Quick run: ${count(timing.changes)} changes, not ${count(FULL_BACKUP_CHANGES)}.`
      : '';
  const common =
    `${count(timing.changes)} changes of one workspace (${timing.storage}), written with INSERT … SELECT (rows as the repository writes them) in ${(timing.fillMs / 1000).toFixed(1)} s before the timing. ` +
    `Timed from spawning the command to its exit, npm and tsx included (\`npm run server -- --help\` alone takes ${formatNoteMs(commandStartMs)} ms).${scaled}`;
  return [
    {
      name: `scale: backup of a server holding ${count(timing.changes)} changes (${timing.storage}), \`npm run server -- backup\``,
      ours_ms: timing.backupMs,
      baseline: PLAIN_BACKUP[timing.storage],
      baseline_ms: timing.plainBackupMs,
      target: 'informational',
      notes: `${common} Taken while the server runs (idle). Backup file ${mib(timing.backupBytes)} (header, checksum, database and TLS files); the plain copy ${mib(timing.plainBackupBytes)}.`,
    },
    {
      name: `scale: restore of that backup of ${count(timing.changes)} changes into an empty data dir (${timing.storage}), \`npm run server -- restore\``,
      ours_ms: timing.restoreMs,
      baseline: PLAIN_RESTORE[timing.storage],
      baseline_ms: timing.plainRestoreMs,
      target: 'informational',
      notes: `${common} Checks the file's checksum and the master key, writes the database and a new epoch id; the restored server was then started and answered for exactly ${count(timing.changes)} changes (API and a row count).`,
    },
  ];
}
