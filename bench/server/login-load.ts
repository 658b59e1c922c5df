/**
 * Row 3: how an authenticated GET fares while logins run. Two open-loop schedules share one
 * start: a login (a real Argon2id verification on the server's thread pool) every
 * `loginIntervalMs`, and a probe GET every `probeIntervalMs`. Argon2 must not block the
 * event loop, so the probe's p99 must stay low however busy the thread pool is.
 *
 * Logins go round-robin over several accounts and client addresses so the per-account and
 * per-IP login backoff (which counts logins still in flight) never refuses them; any that
 * are refused anyway are counted and reported. Only logins that completed inside the
 * window count towards the achieved rate.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { login, type BenchAccount } from './accounts.js';
import type { ApiClient } from './api-client.js';
import { clientAddress } from './client-addresses.js';
import { startPacedLoop } from './paced-loop.js';

export interface ProbeOptions {
  api: ApiClient;
  path: string;
  tokens: readonly string[];
  addressPool: number;
  intervalMs: number;
}

export interface ProbeResult {
  /** Latency of each probe request that answered 200. */
  latencies: number[];
  fired: number;
  statusCounts: Record<string, number>;
  errors: number;
}

export interface LoginLoadResult {
  windowMs: number;
  offered: number;
  /** Logins answered 200 with a session before the window closed. */
  completed: number;
  /** 429 answers (the backoff refused a login). */
  refused: number;
  /** Other answers or transport errors inside the window. */
  failed: number;
  /** Logins still running on the server when the window closed. */
  inFlightAtEnd: number;
  /** Latencies of the logins that completed inside the window. */
  loginLatencies: number[];
  probe: ProbeResult;
  /**
   * The bench process's own event-loop delay over the window (p99, max): how late this
   * side could have been in sending requests and reading answers on a busy machine.
   */
  clientDelay: { p99Ms: number; maxMs: number };
}

interface ProbeRun {
  stop(): Promise<ProbeResult>;
}

function startProbe(options: ProbeOptions): ProbeRun {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const loop = startPacedLoop(options.intervalMs, (index) => {
    const token = options.tokens[index % options.tokens.length] as string;
    const request = options.api
      .request('GET', options.path, {
        token,
        forwardedFor: clientAddress(options.addressPool, index % 64),
      })
      .then(
        (res) => {
          statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
          if (res.status === 200) latencies.push(res.ms);
        },
        () => {
          errors += 1;
        },
      );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  });
  return {
    async stop() {
      const fired = loop.stop();
      await Promise.all([...inFlight]);
      return { latencies, fired, statusCounts, errors };
    },
  };
}

/** The probe alone for `durationMs`: the same GET with no logins running. */
export async function runProbe(
  options: ProbeOptions & { durationMs: number },
): Promise<ProbeResult> {
  const probe = startProbe(options);
  await sleep(options.durationMs);
  return probe.stop();
}

export async function runLoginLoad(options: {
  probe: ProbeOptions;
  loginApi: ApiClient;
  accounts: readonly BenchAccount[];
  loginAddressPool: number;
  loginIntervalMs: number;
  windowMs: number;
}): Promise<LoginLoadResult> {
  const { accounts, loginApi } = options;
  if (accounts.length === 0) throw new Error('the login load needs accounts');
  let windowEnd = Number.POSITIVE_INFINITY;
  let completed = 0;
  let refused = 0;
  let failed = 0;
  let settled = 0;
  const loginLatencies: number[] = [];

  const clientDelay = monitorEventLoopDelay({ resolution: 10 });
  clientDelay.enable();
  const startedAt = performance.now();
  const probe = startProbe(options.probe);
  const logins = startPacedLoop(options.loginIntervalMs, (index) => {
    const account = accounts[index % accounts.length] as BenchAccount;
    login(loginApi, account, clientAddress(options.loginAddressPool, index % 64)).then(
      (result) => {
        if (result.endedAt > windowEnd) return;
        settled += 1;
        if (result.status === 200 && result.token !== undefined) {
          completed += 1;
          loginLatencies.push(result.ms);
        } else if (result.status === 429) {
          refused += 1;
        } else {
          failed += 1;
        }
      },
      () => {
        // Requests cut off after the window (the agent is closed) are not failures.
        if (performance.now() > windowEnd) return;
        settled += 1;
        failed += 1;
      },
    );
  });
  await sleep(options.windowMs);
  windowEnd = performance.now();
  const offered = logins.stop();
  const probeResult = await probe.stop();
  clientDelay.disable();
  return {
    windowMs: windowEnd - startedAt,
    offered,
    completed,
    refused,
    failed,
    inFlightAtEnd: offered - settled,
    loginLatencies,
    probe: probeResult,
    // The histogram counts in nanoseconds and includes the 10 ms sampling interval itself.
    clientDelay: {
      p99Ms: Math.max(0, clientDelay.percentile(99) / 1e6 - 10),
      maxMs: Math.max(0, clientDelay.max / 1e6 - 10),
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
