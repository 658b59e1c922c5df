/**
 * The server section's rows from its measurements (README "server" says what each
 * compares). Pure, so the wording and arithmetic are tested without a server.
 */
import { absoluteRow, type RowInput } from '../report.js';
import type { HttpLoadResult } from './http-load.js';
import type { LoginLoadResult, ProbeResult } from './login-load.js';
import { formatNoteMs, summarize, type LatencySummary } from './stats.js';

export const HEALTH_BASELINE = 'GET /v1/health (no auth, no DB)';
export const ARGON2_BASELINE = 'argon2id verify alone, in-process';

export interface ThroughputInput {
  path: string;
  connections: number;
  durationS: number;
  accounts: number;
  addresses: number;
  ours: HttpLoadResult;
  health: HttpLoadResult;
}

const rps = (value: number): string => `${Math.round(value).toLocaleString('en-US')} req/s`;

export function throughputRow(input: ThroughputInput): RowInput {
  const { ours, health } = input;
  return {
    name: `authenticated GET ${input.path} over TLS 1.3 keep-alive: mean latency`,
    ours_ms: ours.latency.meanMs,
    baseline: HEALTH_BASELINE,
    baseline_ms: health.latency.meanMs,
    target: 'informational',
    notes:
      `autocannon, ${input.connections} connections, ${input.durationS} s each, same server and ` +
      `settings: ours ${rps(ours.requestsPerSecond)} (p99 ${formatNoteMs(ours.latency.p99Ms)} ms, ` +
      `${ours.completed} requests), health ${rps(health.requestsPerSecond)} (p99 ` +
      `${formatNoteMs(health.latency.p99Ms)} ms, ${health.completed} requests). Ours resolves ` +
      `the bearer token (SHA-256, session lookup) and lists the account's sessions from SQLite; ` +
      `both write an audit row per request. Spread over ${input.accounts} accounts and ` +
      `${input.addresses} client addresses so the production rate limits stay on and are ` +
      `never hit; every answer was 200.`,
  };
}

export interface LoginLatencyInput {
  logins: readonly number[];
  argon2: readonly number[];
  params: string;
}

export function loginLatencyRows(input: LoginLatencyInput): RowInput[] {
  const logins = summarize(input.logins);
  const argon2 = summarize(input.argon2);
  const notes =
    `${logins.count} sequential POST /v1/auth/login over TLS 1.3 keep-alive, ${input.params} ` +
    `(read back from the stored hash); each issues a session and a new-sign-in mail. ` +
    `Baseline: ${argon2.count} argon2.verify calls with the same parameters in the bench ` +
    `process (p50 ${formatNoteMs(argon2.p50Ms)} ms, p99 ${formatNoteMs(argon2.p99Ms)} ms), ` +
    `so the ratio is the login's cost beyond Argon2.`;
  return [
    {
      name: 'login (email + password, Argon2id) latency p50',
      ours_ms: logins.p50Ms,
      baseline: ARGON2_BASELINE,
      baseline_ms: argon2.p50Ms,
      target: 'informational',
      notes,
    },
    {
      name: 'login (email + password, Argon2id) latency p99',
      ours_ms: logins.p99Ms,
      baseline: ARGON2_BASELINE,
      baseline_ms: argon2.p99Ms,
      target: 'informational',
      notes,
    },
  ];
}

export interface LoginLoadRowInput {
  path: string;
  loginRatePerS: number;
  probeIntervalMs: number;
  /** The probe with no logins running. */
  idle: ProbeResult;
  load: LoginLoadResult;
}

/** Completed logins per second over the window. */
export function achievedLoginRate(load: Pick<LoginLoadResult, 'completed' | 'windowMs'>): number {
  return load.completed / (load.windowMs / 1000);
}

/** Whether the logins completed at (nearly) the offered rate. */
export function loadAchieved(
  load: Pick<LoginLoadResult, 'completed' | 'windowMs'>,
  ratePerS: number,
): boolean {
  return achievedLoginRate(load) >= ratePerS * 0.9;
}

function loginLoadNotes(input: LoginLoadRowInput): string {
  const { load, idle } = input;
  const probe = summarize(load.probe.latencies);
  const idleSummary = summarize(idle.latencies);
  const achieved = achievedLoginRate(load);
  const logins: LatencySummary | null =
    load.loginLatencies.length > 0 ? summarize(load.loginLatencies) : null;
  const verdict = loadAchieved(load, input.loginRatePerS)
    ? 'Load achieved.'
    : `Load NOT achieved: ${achieved.toFixed(1)} of ${input.loginRatePerS} logins/s completed.`;
  return (
    `${verdict} ${(load.windowMs / 1000).toFixed(1)} s window: logins offered ${load.offered} ` +
    `(one every ${formatNoteMs(1000 / input.loginRatePerS)} ms, open loop, round-robin over ` +
    `accounts and client addresses), completed ${load.completed} (${achieved.toFixed(1)}/s), ` +
    `refused 429 ${load.refused}, failed ${load.failed}, still running at the end ` +
    `${load.inFlightAtEnd}` +
    (logins === null
      ? ''
      : `; login latency p50 ${formatNoteMs(logins.p50Ms)} ms, max ${formatNoteMs(logins.maxMs)} ms`) +
    `. Probe: GET ${input.path} every ${input.probeIntervalMs} ms (open loop, keep-alive), ` +
    `${probe.count} answers, p50 ${formatNoteMs(probe.p50Ms)} ms, p99 ` +
    `${formatNoteMs(probe.p99Ms)} ms, max ${formatNoteMs(probe.maxMs)} ms; with no logins ` +
    `running p50 ${formatNoteMs(idleSummary.p50Ms)} ms, p99 ${formatNoteMs(idleSummary.p99Ms)} ms. ` +
    `The bench process's own event-loop delay meanwhile: p99 ` +
    `${formatNoteMs(load.clientDelay.p99Ms)} ms, max ${formatNoteMs(load.clientDelay.maxMs)} ms ` +
    `(client and server share the machine's cores).`
  );
}

/** The target row: the probe's p99 under the offered login rate, against an absolute budget. */
export function underLoginLoadRow(input: LoginLoadRowInput & { budgetMs: number }): RowInput {
  return absoluteRow(
    `authenticated GET ${input.path} p99 while ${input.loginRatePerS} logins/s are offered`,
    summarize(input.load.probe.latencies).p99Ms,
    input.budgetMs,
    loginLoadNotes(input),
  );
}

/**
 * The same probe under a login rate this machine can complete (sized from the Argon2
 * time): informational, against the probe's p99 with no logins running.
 */
export function sustainedLoginLoadRow(input: LoginLoadRowInput): RowInput {
  return {
    name: `authenticated GET ${input.path} p99 while ${input.loginRatePerS} logins/s run (what this machine sustains)`,
    ours_ms: summarize(input.load.probe.latencies).p99Ms,
    baseline: 'same GET, no logins running (p99)',
    baseline_ms: summarize(input.idle.latencies).p99Ms,
    target: 'informational',
    notes: loginLoadNotes(input),
  };
}

/**
 * A login rate the server can complete on this machine: `share` of what its Argon2 thread
 * pool (libuv's 4 threads, at most one per core) verifies per second, at least 1.
 */
export function sustainableLoginRate(options: {
  cores: number;
  argon2Ms: number;
  share: number;
  threadPoolSize?: number;
}): number {
  const threads = Math.min(options.cores, options.threadPoolSize ?? 4);
  return Math.max(1, Math.floor((options.share * threads * 1000) / options.argon2Ms));
}
