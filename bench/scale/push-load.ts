/**
 * The scale section's load on one deployment (one instance, or several on one database):
 * devices signed in through the first instance, every device's socket open on the instance
 * `socketInstance` gives it, then one device of each workspace pushes one change at a time
 * at a steady overall rate (open loop) through the instance `pushInstance` gives the push,
 * and every other device of the workspace must hear of the new seq on its socket.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { ApiClient, errorCodeOf } from '../server/api-client.js';
import { ADDRESS_POOLS, clientAddress } from '../server/client-addresses.js';
import { startPacedLoop } from '../server/paced-loop.js';
import { pinnedAgent, type PinnedCertificate } from '../server/pinning.js';
import { formatNoteMs, summarize, type LatencySummary } from '../server/stats.js';
import { crossInstanceShare, pushInstance } from './instance-split.js';
import { setUpWorkspaces } from './scale-devices.js';
import { openSeqListeners } from './seq-listeners.js';
import { writeToSeen, type SentPush } from './write-to-seen.js';

export interface PushLoadConfig {
  workspaces: number;
  devicesPerWorkspace: number;
  /** Pushes per second over all workspaces, one change each. */
  pushesPerSecond: number;
  seconds: number;
}

export interface LoadInstance {
  url: string;
  pid: number;
}

export interface PushLoadResult {
  latency: LatencySummary;
  /** The pushes' own answers: sent to the last byte of the 200. */
  pushLatency: LatencySummary;
  pushes: number;
  /** Share of (push, listening socket) pairs whose socket is on another instance. */
  crossShare: number;
  /** Sum of the instances' VmRSS once every device was signed in, no socket open. */
  idleRssMiB: number;
  /** Peak of the sum of the instances' VmRSS under the load. */
  peakRssMiB: number;
}

/** Time after the last push for its announcements to arrive. */
const DRAIN_MS = 2_000;
/** The device of each workspace that pushes. */
const WRITER = 0;

export async function runPushLoad(options: {
  instances: readonly LoadInstance[];
  pin: PinnedCertificate;
  config: PushLoadConfig;
  /** Names the deployment in the log lines. */
  label: string;
  log: (line: string) => void;
}): Promise<PushLoadResult> {
  const { config, instances, pin, label, log } = options;
  const apis = instances.map((instance) => new ApiClient(instance.url, pinnedAgent(pin, 32)));
  const pids = instances.map((instance) => instance.pid);
  try {
    const setupStarted = performance.now();
    const workspaces = await setUpWorkspaces(apis[0]!, {
      workspaces: config.workspaces,
      devicesPerWorkspace: config.devicesPerWorkspace,
      runId: `${process.pid}-${Date.now()}-${instances.length}`,
      concurrency: os.cpus().length * 2,
    });
    const idleRssMiB = residentMiB(pids);
    const listeners = await openSeqListeners(
      instances.map((instance) => instance.url),
      workspaces,
      pin,
      16,
    );
    log(
      `scale (${label}): ${config.workspaces * config.devicesPerWorkspace} devices signed in and their sockets open in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; server RSS ${idleRssMiB.toFixed(0)} MiB before the sockets`,
    );
    let peakRssMiB = residentMiB(pids);
    const sampler = setInterval(() => {
      peakRssMiB = Math.max(peakRssMiB, residentMiB(pids));
    }, 250);
    const sent: SentPush[] = [];
    const answered: number[] = [];
    const failures: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const loop = startPacedLoop(1_000 / config.pushesPerSecond, (index) => {
      const w = index % workspaces.length;
      const workspace = workspaces[w]!;
      const api = apis[pushInstance(index, workspaces.length, apis.length)]!;
      const sentAt = performance.now();
      const done = api
        .request<{ results?: { status: string; seq?: number }[] }>(
          'POST',
          `/v1/workspaces/${workspace.id}/sync/push`,
          {
            token: workspace.tokens[WRITER]!,
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
          sent.push({ workspace: w, device: WRITER, seq, sentAt });
          answered.push(res.ms);
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
    peakRssMiB = Math.max(peakRssMiB, residentMiB(pids));
    const closedEarly = listeners.closedEarly;
    listeners.close();
    if (failures.length > 0) {
      throw new Error(
        `${label}: ${failures.length} of ${pushes} pushes failed, first: ${failures[0]}`,
      );
    }
    const seen = writeToSeen(sent, listeners.receipts, config.devicesPerWorkspace);
    if (seen.missing > 0 || closedEarly > 0) {
      throw new Error(
        `${label}: ${seen.missing} announcements never arrived, ${closedEarly} sockets closed by the server`,
      );
    }
    const latency = summarize(seen.latencies);
    const pushLatency = summarize(answered);
    log(
      `scale (${label}): ${pushes} pushes at ${config.pushesPerSecond}/s, ${latency.count} announcements: p50 ${formatNoteMs(latency.p50Ms)} ms, p99 ${formatNoteMs(latency.p99Ms)} ms, max ${formatNoteMs(latency.maxMs)} ms; push answered p50 ${formatNoteMs(pushLatency.p50Ms)} ms, p99 ${formatNoteMs(pushLatency.p99Ms)} ms; server peak RSS ${peakRssMiB.toFixed(0)} MiB`,
    );
    return {
      latency,
      pushLatency,
      pushes,
      crossShare: crossInstanceShare({
        pushes,
        workspaces: workspaces.length,
        devicesPerWorkspace: config.devicesPerWorkspace,
        instances: instances.length,
        writer: WRITER,
      }),
      idleRssMiB,
      peakRssMiB,
    };
  } finally {
    for (const api of apis) api.close();
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

/** Sum of the processes' VmRSS in MiB. */
function residentMiB(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
    total += Number(kib) / 1024;
  }
  return total;
}
