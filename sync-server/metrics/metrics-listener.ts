import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ServerMetrics } from './server-metrics.js';

export interface MetricsListenerOptions {
  host: string;
  port: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | undefined;
  metrics: ServerMetrics;
}

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The operator's scrape endpoint, apart from the API: its own port (loopback unless a token
 * guards it, server-config.ts), plain HTTP for Prometheus on the same host, GET /metrics
 * only. Clients of the sync API never reach it, so a flood of API traffic cannot read or
 * hide it.
 */
export async function startMetricsListener(
  options: MetricsListenerOptions,
): Promise<MetricsListener> {
  const expected = options.token === undefined ? null : digest(options.token);
  const server = createServer((request, response) => {
    void answer(request, response, options.metrics, expected);
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: ServerMetrics,
  expected: Buffer | null,
): Promise<void> {
  const path = (request.url ?? '').split('?')[0];
  if (path !== '/metrics') return send(response, 404, 'not found\n');
  if (request.method !== 'GET') return send(response, 405, 'GET only\n', { allow: 'GET' });
  if (expected !== null && !bearerMatches(request.headers.authorization, expected)) {
    return send(response, 401, 'a bearer token is required\n', {
      'www-authenticate': 'Bearer realm="coffer-metrics"',
    });
  }
  try {
    const { contentType, body } = await metrics.render();
    send(response, 200, body, { 'content-type': contentType });
  } catch (_error) {
    send(response, 500, 'metrics could not be collected\n');
  }
}

/** Compares SHA-256 digests, so neither the token's length nor its bytes leak through timing. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1] as string), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(body);
}
