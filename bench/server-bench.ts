/**
 * The "server" section: the real sync server (`sync-server/main.ts`) as a child process on
 * 127.0.0.1 over TLS 1.3 with its certificate pinned, driven through its real API.
 * README.md in this folder says what each row compares.
 */
import * as fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RowInput } from './report.js';
import { median } from './timing.js';
import { login, registerAccounts, type BenchAccount } from './server/accounts.js';
import { ApiClient } from './server/api-client.js';
import {
  PRODUCTION_ARGON2,
  describeParams,
  sameParams,
  storedHashParams,
  timeArgon2Verify,
} from './server/argon2-baseline.js';
import { accountsForLoad } from './server/account-budget.js';
import { durabilityRow, runDurabilityBench, type DurabilityConfig } from './server/durability.js';
import { ADDRESS_POOLS, clientAddress, clientAddresses } from './server/client-addresses.js';
import { runHttpLoad } from './server/http-load.js';
import { runLoginLoad, runProbe } from './server/login-load.js';
import { checkHandshake, pinnedAgent, readPinnedCertificate } from './server/pinning.js';
import { rotatedRequests } from './server/request-rotation.js';
import {
  achievedLoginRate,
  loadAchieved,
  loginLatencyRows,
  sustainableLoginRate,
  sustainedLoginLoadRow,
  throughputRow,
  underLoginLoadRow,
} from './server/rows.js';
import { startServerProcess } from './server/server-process.js';

export const SERVER_SECTION = 'server';

export interface ServerBenchConfig {
  /** autocannon connections and seconds per route (rows 1). */
  connections: number;
  throughputS: number;
  warmupS: number;
  /**
   * Accounts registered: enough that the authenticated load stays under the per-account
   * limit (sized from the health route's rate, with this headroom), at least `minAccounts`
   * (row 3's logins, which count in flight against the per-account backoff, use them too).
   */
  minAccounts: number;
  accountHeadroom: number;
  /** Client addresses (X-Forwarded-For) the load is spread over. */
  throughputAddresses: number;
  /** Sequential logins timed (row 2) and in-process Argon2 verifications (its baseline). */
  sequentialLogins: number;
  argon2Runs: number;
  /** Row 3: offered logins per second, the window, the probe and its budget. */
  loginRatePerS: number;
  loadWindowS: number;
  /**
   * The informational row before it: a login rate this machine completes (`share` of its
   * Argon2 capacity, from the in-process timing), for `sustainedWindowS`.
   */
  sustainedShare: number;
  sustainedWindowS: number;
  idleProbeS: number;
  probeIntervalMs: number;
  /** Accounts the probe's GETs use (the others take the logins). */
  probeAccounts: number;
  probeBudgetMs: number;
  /** The durability row: the server's storage writes with synchronous FULL against NORMAL. */
  durability: DurabilityConfig;
}

export const FULL_SERVER_CONFIG: ServerBenchConfig = {
  connections: 10,
  throughputS: 10,
  warmupS: 2,
  minAccounts: 32,
  accountHeadroom: 1.25,
  throughputAddresses: 250,
  sequentialLogins: 80,
  argon2Runs: 30,
  loginRatePerS: 20,
  loadWindowS: 15,
  sustainedShare: 0.5,
  sustainedWindowS: 10,
  idleProbeS: 3,
  probeIntervalMs: 10,
  probeAccounts: 4,
  probeBudgetMs: 50,
  durability: { operations: 100, runs: 5, warmup: 1 },
};

/** Shorter runs and fewer logins: for developing the bench, not for numbers. */
export const QUICK_SERVER_CONFIG: ServerBenchConfig = {
  ...FULL_SERVER_CONFIG,
  throughputS: 3,
  warmupS: 1,
  minAccounts: 12,
  sequentialLogins: 20,
  argon2Runs: 5,
  loadWindowS: 5,
  sustainedWindowS: 3,
  idleProbeS: 1,
  durability: { operations: 20, runs: 3, warmup: 1 },
};

/** The authenticated route rows 1 and 3 measure. */
export const AUTHENTICATED_PATH = '/v1/me/sessions';
export const HEALTH_PATH = '/v1/health';

export interface ServerBenchOptions {
  config: ServerBenchConfig;
  /** Scratch directory for the server's data dir, master key and log. */
  dataDir: string;
  log: (line: string) => void;
}

export async function runServerBench(options: ServerBenchOptions): Promise<RowInput[]> {
  const { config } = options;
  const started = performance.now();
  // Every progress line carries the time into the section, to match with the server's log.
  const log = (line: string): void =>
    options.log(line.replace(/^server: /, `server [${seconds(performance.now() - started)}]: `));
  const scratch = path.join(options.dataDir, 'server');
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const serverDataDir = path.join(scratch, 'data');
  const logFile = path.join(scratch, 'server.log');

  // Other work on the machine shares the cores with the server: say how busy it was.
  const [load1, load5] = os.loadavg().map((value) => value.toFixed(2));
  log(`server: load average ${load1} (1 min), ${load5} (5 min) on ${os.cpus().length} cores`);
  // Before the server starts, so its work does not share the disk with this measurement.
  const { operations, runs } = config.durability;
  log(`server: durability, ${runs} rounds of ${operations} sign-in + sign-out, FULL and NORMAL`);
  const durability = durabilityRow(
    await runDurabilityBench(path.join(scratch, 'durability'), config.durability),
  );

  log(`server: starting sync-server/main.ts (log: ${logFile})`);
  const server = await startServerProcess({
    dataDir: serverDataDir,
    keyFile: path.join(scratch, 'master.key'),
    logFile,
    // The bench stands in for a reverse proxy on 127.0.0.1: the server believes the client
    // addresses it sends in X-Forwarded-For (and limits per address as in production).
    args: ['--trust-proxy', '127.0.0.1'],
  });
  const clients: ApiClient[] = [];
  try {
    const pin = readPinnedCertificate(serverDataDir, server.fingerprint);
    const handshake = await checkHandshake(server.url, pin);
    log(
      `server: ${server.url}, pid ${server.pid}, ${handshake.protocol} ${handshake.cipher}, pinned sha256:${pin.fingerprint}`,
    );
    const api = track(clients, new ApiClient(server.url, pinnedAgent(pin, 16)));

    // Row 1 starts with health: the reference, and the rate that sizes the accounts.
    const addresses = clientAddresses(ADDRESS_POOLS.throughput, config.throughputAddresses);
    const load = {
      url: server.url,
      connections: config.connections,
      durationS: config.throughputS,
      warmupS: config.warmupS,
      pin,
    };
    log(
      `server: autocannon ${HEALTH_PATH}, ${config.connections} connections, ${config.throughputS} s`,
    );
    const health = await runHttpLoad({
      ...load,
      requests: rotatedRequests({ path: HEALTH_PATH, addresses, tokens: [] }),
      verifyBody: (body) => body.includes('"status":"ok"'),
    });

    const accountCount = accountsForLoad({
      requestsPerSecond: health.requestsPerSecond,
      seconds: config.warmupS + config.throughputS,
      headroom: config.accountHeadroom,
      min: config.minAccounts,
    });
    const registerStarted = performance.now();
    const accounts = await registerAccounts({
      api,
      count: accountCount,
      concurrency: os.cpus().length,
      addressPool: ADDRESS_POOLS.setup,
      runId: `${process.pid}-${Date.now()}`,
    });
    log(
      `server: registered ${accounts.length} accounts in ${seconds(performance.now() - registerStarted)}`,
    );
    const first = accounts[0] as BenchAccount;
    const params = storedHashParams(serverDataDir, first.userId);
    if (!sameParams(params, PRODUCTION_ARGON2)) {
      throw new Error(
        `the server stored ${describeParams(params)}, not the production ${describeParams(PRODUCTION_ARGON2)}`,
      );
    }

    log(
      `server: autocannon ${AUTHENTICATED_PATH}, ${config.connections} connections, ${config.throughputS} s`,
    );
    const ours = await runHttpLoad({
      ...load,
      requests: rotatedRequests({
        path: AUTHENTICATED_PATH,
        addresses,
        tokens: accounts.map((account) => account.token),
      }),
      verifyBody: (body) => body.startsWith('{"sessions":[{'),
    });
    const rows: RowInput[] = [
      throughputRow({
        path: AUTHENTICATED_PATH,
        connections: config.connections,
        durationS: config.throughputS,
        accounts: accounts.length,
        addresses: addresses.length,
        ours,
        health,
      }),
    ];

    // Row 2: sequential logins, then Argon2 alone with the stored parameters.
    const probeAccounts = accounts.slice(0, config.probeAccounts);
    const loginAccounts = accounts.slice(config.probeAccounts);
    const sequentialAccount = loginAccounts[0];
    if (sequentialAccount === undefined) throw new Error('no account left for logins');
    log(`server: ${config.sequentialLogins} sequential logins`);
    const loginMs: number[] = [];
    for (let index = 0; index < config.sequentialLogins; index++) {
      const result = await login(
        api,
        sequentialAccount,
        clientAddress(ADDRESS_POOLS.sequentialLogins, index % 64),
      );
      if (result.token === undefined) throw new Error(`login answered ${result.status}`);
      loginMs.push(result.ms);
    }
    log(`server: ${config.argon2Runs} in-process argon2.verify (${describeParams(params)})`);
    const argon2Ms = await timeArgon2Verify(params, config.argon2Runs);
    rows.push(
      ...loginLatencyRows({ logins: loginMs, argon2: argon2Ms, params: describeParams(params) }),
    );

    // Row 3: the probe alone, then under the login load.
    const probe = {
      api: track(clients, new ApiClient(server.url, pinnedAgent(pin, 16))),
      path: AUTHENTICATED_PATH,
      tokens: probeAccounts.map((account) => account.token),
      addressPool: ADDRESS_POOLS.probe,
      intervalMs: config.probeIntervalMs,
    };
    log(`server: probe alone, ${config.idleProbeS} s`);
    const idle = await runProbe({ ...probe, durationMs: config.idleProbeS * 1000 });
    const loginApi = track(clients, new ApiClient(server.url, pinnedAgent(pin, 1024)));
    const underLoad = (ratePerS: number, windowS: number) =>
      runLoginLoad({
        probe,
        loginApi,
        accounts: loginAccounts,
        loginAddressPool: ADDRESS_POOLS.loadLogins,
        loginIntervalMs: 1000 / ratePerS,
        windowMs: windowS * 1000,
      });
    const sustainedRate = sustainableLoginRate({
      cores: os.cpus().length,
      argon2Ms: median(argon2Ms),
      share: config.sustainedShare,
    });
    // The sustainable rate first: after the offered rate the server still works off a backlog.
    log(`server: probe with ${sustainedRate} logins/s, ${config.sustainedWindowS} s`);
    const sustained = await underLoad(sustainedRate, config.sustainedWindowS);
    log(`server: probe with ${config.loginRatePerS} logins/s offered, ${config.loadWindowS} s`);
    const offered = await underLoad(config.loginRatePerS, config.loadWindowS);
    for (const result of [idle, sustained.probe, offered.probe]) {
      if (result.errors > 0 || result.latencies.length !== result.fired) {
        throw new Error(
          `the probe GET failed: ${result.errors} errors, answers ${JSON.stringify(result.statusCounts)} of ${result.fired}`,
        );
      }
    }
    for (const [rate, result] of [
      [sustainedRate, sustained],
      [config.loginRatePerS, offered],
    ] as const) {
      if (!loadAchieved(result, rate)) {
        log(
          `server: WARNING: ${rate} logins/s offered, ${achievedLoginRate(result).toFixed(1)}/s ` +
            `completed (${result.inFlightAtEnd} still running, ${result.refused} refused): the ` +
            `probe row for it ran under a saturated Argon2 thread pool, not at that login rate`,
        );
      }
    }
    const common = { path: AUTHENTICATED_PATH, probeIntervalMs: config.probeIntervalMs, idle };
    rows.push(
      sustainedLoginLoadRow({ ...common, loginRatePerS: sustainedRate, load: sustained }),
      underLoginLoadRow({
        ...common,
        loginRatePerS: config.loginRatePerS,
        load: offered,
        budgetMs: config.probeBudgetMs,
      }),
      durability,
    );
    return rows;
  } finally {
    for (const client of clients) client.close();
    const stopped = await server.stop();
    log(
      `server: stopped (${stopped.killed ? 'SIGKILL after the grace period' : `exit ${stopped.code ?? stopped.signal}`}); section took ${seconds(performance.now() - started)}`,
    );
  }
}

function track(clients: ApiClient[], client: ApiClient): ApiClient {
  clients.push(client);
  return client;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
