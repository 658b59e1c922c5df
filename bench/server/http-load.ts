/**
 * Keep-alive load with autocannon over pinned TLS 1.3: `connections` connections each send
 * a request as soon as the previous answer arrived, for `durationS` seconds. Latencies are
 * taken from autocannon's per-response event in full precision (its own histogram keeps
 * whole milliseconds). The run fails unless every response was a 2xx whose body passed
 * `verifyBody` and every connection presented the pinned certificate.
 */
import autocannon from 'autocannon';
import type { PeerCertificate } from 'node:tls';
import { pinnedIdentityCheck, type PinnedCertificate } from './pinning.js';
import type { RotatedRequest } from './request-rotation.js';
import { summarize, type LatencySummary } from './stats.js';

export interface HttpLoadOptions {
  url: string;
  requests: readonly RotatedRequest[];
  connections: number;
  durationS: number;
  /** Untimed run on the same connections settings first (JIT, TLS session caches). */
  warmupS: number;
  pin: PinnedCertificate;
  verifyBody: (body: string) => boolean;
}

export interface HttpLoadResult {
  /** Completed requests per second, autocannon's average of its one-second samples. */
  requestsPerSecond: number;
  completed: number;
  latency: LatencySummary;
  statusCounts: Record<string, number>;
  /** TLS handshakes that presented the pinned certificate. */
  pinnedHandshakes: number;
}

export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const check = pinnedIdentityCheck(options.pin);
  let pinnedHandshakes = 0;
  let pinFailures = 0;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.warmupS > 0 ? { warmup: { duration: options.warmupS } } : {}),
    requests: options.requests.map((request) => ({ ...request, headers: { ...request.headers } })),
    // autocannon forces rejectUnauthorized: false, so the pin is checked here and counted:
    // Node calls checkServerIdentity only for a chain that verified against `ca`.
    tlsOptions: {
      ca: options.pin.pem,
      minVersion: 'TLSv1.3',
      checkServerIdentity: (host: string, cert: PeerCertificate) => {
        const error = check(host, cert);
        if (error === undefined) pinnedHandshakes += 1;
        else pinFailures += 1;
        return error;
      },
    },
    verifyBody: options.verifyBody,
  });
  const latencies: number[] = [];
  instance.on('response', (_client: unknown, _statusCode: number, _bytes: number, ms: number) => {
    latencies.push(ms);
  });
  const result = await instance;

  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statusCounts[status] = count;
  }
  const problems: string[] = [];
  if (result.non2xx > 0)
    problems.push(`${result.non2xx} non-2xx answers ${JSON.stringify(statusCounts)}`);
  if (result.errors > 0) problems.push(`${result.errors} connection errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  if (result.mismatches > 0) problems.push(`${result.mismatches} unexpected bodies`);
  if (pinFailures > 0) problems.push(`${pinFailures} handshakes without the pinned certificate`);
  // The warm-up (when there is one) opens its own connections, so count at least the timed ones.
  if (pinnedHandshakes < options.connections) {
    problems.push(`only ${pinnedHandshakes} of ${options.connections} connections were pinned`);
  }
  if (latencies.length === 0) problems.push('no responses');
  if (problems.length > 0) {
    throw new Error(
      `load on ${options.requests[0]?.path ?? options.url} failed: ${problems.join('; ')}`,
    );
  }
  return {
    requestsPerSecond: result.requests.average,
    completed: latencies.length,
    latency: summarize(latencies),
    statusCounts,
    pinnedHandshakes,
  };
}
