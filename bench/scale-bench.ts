/**
 * The scale section: a thousand devices, each a session of its own with its sync
 * WebSocket open, on one server instance (SQLite) over TLS 1.3 on loopback. One device of
 * each workspace pushes at a steady overall rate (open loop); every other device of the
 * workspace must hear of the new seq on its socket. Rows: write-to-seen latency p50/p99
 * and the server's resident memory with every socket open under that load.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { absoluteRow, type RowInput } from './report.js';
import { ApiClient, errorCodeOf } from './server/api-client.js';
import { ADDRESS_POOLS, clientAddress } from './server/client-addresses.js';
import { startPacedLoop } from './server/paced-loop.js';
import { pinnedAgent, readPinnedCertificate } from './server/pinning.js';
import { startServerProcess } from './server/server-process.js';
import { formatNoteMs, summarize } from './server/stats.js';
import { setUpWorkspaces } from './scale/scale-devices.js';
import { openSeqListeners } from './scale/seq-listeners.js';
import { writeToSeen, type SentPush } from './scale/write-to-seen.js';

export const SCALE_SECTION = 'scale';

export interface ScaleBenchConfig {
  workspaces: number;
  devicesPerWorkspace: number;
  /** Pushes per second over all workspaces, one change each. */
  pushesPerSecond: number;
  seconds: number;
}

/** 100 workspaces × 10 devices: the thousand sockets the server admits by default. */
export const FULL_SCALE_CONFIG: ScaleBenchConfig = {
  workspaces: 100,
  devicesPerWorkspace: 10,
  pushesPerSecond: 50,
  seconds: 30,
};

export const QUICK_SCALE_CONFIG: ScaleBenchConfig = {
  workspaces: 10,
  devicesPerWorkspace: 5,
  pushesPerSecond: 10,
  seconds: 5,
};

/** A change reaching the other devices: the bound the design sets across instances. */
const TARGET_P99_MS = 250;
/** Time after the last push for its announcements to arrive. */
const DRAIN_MS = 2_000;
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
  const devices = config.workspaces * config.devicesPerWorkspace;
  const scratch = path.join(options.dataDir, 'scale');
  fs.mkdirSync(scratch, { recursive: true });
  const dataDir = path.join(scratch, 'server');
  const server = await startServerProcess({
    entry: SCALE_SERVER,
    dataDir,
    keyFile: path.join(scratch, 'master.key'),
    logFile: path.join(scratch, 'server.log'),
    args: ['--trust-proxy', '127.0.0.1'],
    startTimeoutMs: 60_000,
  });
  const pin = readPinnedCertificate(dataDir, server.fingerprint);
  const api = new ApiClient(server.url, pinnedAgent(pin, 32));
  try {
    const setupStarted = performance.now();
    const workspaces = await setUpWorkspaces(api, {
      workspaces: config.workspaces,
      devicesPerWorkspace: config.devicesPerWorkspace,
      runId: `${process.pid}-${Date.now()}`,
      concurrency: os.cpus().length * 2,
    });
    const idleRssMiB = residentMiB(server.pid);
    const listeners = await openSeqListeners([server.url], workspaces, pin, 16);
    log(
      `scale: ${devices} devices signed in and their sockets open in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; server RSS ${idleRssMiB.toFixed(0)} MiB before the sockets`,
    );
    let peakRssMiB = residentMiB(server.pid);
    const sampler = setInterval(() => {
      peakRssMiB = Math.max(peakRssMiB, residentMiB(server.pid));
    }, 250);
    const sent: SentPush[] = [];
    const failures: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const loop = startPacedLoop(1_000 / config.pushesPerSecond, (index) => {
      const w = index % workspaces.length;
      const workspace = workspaces[w]!;
      const sentAt = performance.now();
      const done = api
        .request<{ results?: { status: string; seq?: number }[] }>(
          'POST',
          `/v1/workspaces/${workspace.id}/sync/push`,
          {
            token: workspace.tokens[0]!,
            body: { changes: [envelope()] },
            forwardedFor: clientAddress(ADDRESS_POOLS.scale, w),
          },
        )
        .then((res) => {
          const seq = res.json?.results?.[0]?.seq;
          if (res.status !== 200 || typeof seq !== 'number') {
            failures.push(`${res.status} ${errorCodeOf(res.json)}`);
            return;
          }
          sent.push({ workspace: w, device: 0, seq, sentAt });
        })
        .catch((error: unknown) => {
          failures.push(error instanceof Error ? error.message : String(error));
        });
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    });
    await new Promise((resolve) => setTimeout(resolve, config.seconds * 1_000));
    const pushes = loop.stop();
    await Promise.all(inFlight);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    clearInterval(sampler);
    peakRssMiB = Math.max(peakRssMiB, residentMiB(server.pid));
    const closedEarly = listeners.closedEarly;
    listeners.close();
    if (failures.length > 0) {
      throw new Error(`${failures.length} of ${pushes} pushes failed, first: ${failures[0]}`);
    }
    const seen = writeToSeen(sent, listeners.receipts, config.devicesPerWorkspace);
    if (seen.missing > 0 || closedEarly > 0) {
      throw new Error(
        `${seen.missing} announcements never arrived, ${closedEarly} sockets closed by the server`,
      );
    }
    const summary = summarize(seen.latencies);
    log(
      `scale: ${pushes} pushes at ${config.pushesPerSecond}/s, ${summary.count} announcements: p50 ${formatNoteMs(summary.p50Ms)} ms, p99 ${formatNoteMs(summary.p99Ms)} ms, max ${formatNoteMs(summary.maxMs)} ms; server peak RSS ${peakRssMiB.toFixed(0)} MiB`,
    );
    const load = `${devices} devices (${config.workspaces} workspaces × ${config.devicesPerWorkspace}), each its own session and WebSocket, on one instance (SQLite, TLS 1.3, loopback); one device per workspace pushes, ${config.pushesPerSecond} pushes/s in all for ${config.seconds} s (open loop); latency from the push sent to each other device's announcement`;
    return [
      {
        name: `scale: write → seen on the workspace’s other devices, ${devices} sockets on one instance, p50`,
        ours_ms: summary.p50Ms,
        baseline: 'informational',
        baseline_ms: summary.p99Ms,
        target: 'informational',
        notes: `${load}; baseline column: the p99`,
      },
      absoluteRow(
        `scale: write → seen on the workspace’s other devices, ${devices} sockets on one instance, p99`,
        summary.p99Ms,
        TARGET_P99_MS,
        `${load}; ${summary.count} announcements timed`,
      ),
      {
        name: `scale: server resident memory with ${devices} sockets under that load (MiB, not ms)`,
        ours_ms: peakRssMiB,
        baseline: 'signed in, no socket open (MiB)',
        baseline_ms: idleRssMiB,
        target: 'informational',
        notes: 'VmRSS of the server process, sampled every 250 ms; the peak',
      },
    ];
  } finally {
    api.close();
    await server.stop();
  }
}

/** One change as a device would push it: a fresh id, opaque sealed bytes. */
function envelope(): Record<string, unknown> {
  return {
    id: randomUUID(),
    collection: 'transactions',
    keyVersion: 1,
    nonce: randomBytes(12).toString('base64url'),
    ciphertext: randomBytes(256).toString('base64url'),
  };
}

function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) / 1024;
}
