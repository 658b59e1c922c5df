import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { FastifyInstance, RouteOptions } from 'fastify';

import type { Argon2Params } from '../../accounts/argon2-params.js';
import type { Clock } from '../../clock.js';
import { parseServerConfig } from '../../config/server-config.js';
import type { ServerConfig } from '../../config/server-config.js';
import type { RequestAuditHook, ServerDeps } from '../../deps.js';
import type { Logger } from '../../logger.js';
import type { Mailer } from '../../mail/mailer.js';
import { databasePath } from '../../data-dir.js';
import { startServer } from '../../server.js';
import type { SyncSocketLimits } from '../../sync/sync-socket-hub.js';
import { FAST_ARGON2 } from './fast-argon2.js';

export interface TestServerOptions {
  clock?: Clock;
  /** Overrides on top of the defaults (temp data dir, 127.0.0.1, port 0, log level silent). */
  config?: Partial<ServerConfig>;
  mailer?: Mailer;
  audit?: RequestAuditHook;
  /** A logger to read back (support/log-capture.ts); default: none (level silent). */
  logger?: Logger;
  syncSocketLimits?: Partial<SyncSocketLimits>;
  /** How passwords are hashed; default FAST_ARGON2 (support/fast-argon2.ts says why). */
  argon2?: Argon2Params;
}

export interface TestRequestOptions {
  /** Sent as JSON (Content-Type: application/json) unless `rawBody` is given. */
  body?: unknown;
  /** Sent byte for byte; set `content-type` in `headers` yourself. */
  rawBody?: string | Buffer;
  /** Bearer token for the Authorization header. */
  token?: string;
  headers?: Record<string, string>;
}

export interface TestResponse<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: T;
  text: string;
  /** The body as received, for binary answers. */
  bytes: Buffer;
}

export interface TestServer {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  fingerprint: string;
  /** The server certificate (PEM), pinned as the only CA by `request`. */
  ca: string;
  dataDir: string;
  /** `<dataDir>/coffer-server.db`, for tests that scan the file. */
  databaseFile: string;
  keyFile: string;
  /** The Prometheus scrape port, when the config asks for one. */
  metricsPort?: number;
  deps: ServerDeps;
  /** The Fastify instance, for tests that need its Node server (e.g. its sockets). */
  app: FastifyInstance;
  config: ServerConfig;
  /** Every route registered, in order (method + url), for coverage tests. */
  routes: RouteOptions[];
  request<T = unknown>(
    method: string,
    path: string,
    options?: TestRequestOptions,
  ): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real server in-process on 127.0.0.1, port 0, over TLS 1.3 with its freshly made
 * self-signed certificate pinned as the only CA; a temp data dir and master key that
 * `close()` deletes. Inject a ManualClock to move time instead of sleeping.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-server-test-'));
  const dataDir = path.join(root, 'data');
  const config: ServerConfig = {
    ...parseServerConfig(['--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'], {}),
    logLevel: 'silent',
    ...options.config,
  };
  const routes: RouteOptions[] = [];
  let running;
  try {
    running = await startServer(config, {
      onRoute: (route) => routes.push(route),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.mailer ? { mailer: options.mailer } : {}),
      ...(options.audit ? { audit: options.audit } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.syncSocketLimits ? { syncSocketLimits: options.syncSocketLimits } : {}),
      // Set at the start, so the dummy hash for unknown emails is made at this cost too.
      argon2: options.argon2 ?? FAST_ARGON2,
    });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const server = running;
  const agent = new https.Agent({ ca: server.certPem, keepAlive: true, maxSockets: 64 });
  let closed = false;

  return {
    url: server.url,
    port: server.port,
    fingerprint: server.fingerprint,
    ca: server.certPem,
    dataDir,
    databaseFile: databasePath(dataDir),
    keyFile: config.keyFile,
    ...(server.metricsPort === undefined ? {} : { metricsPort: server.metricsPort }),
    deps: server.deps,
    app: server.app,
    config,
    routes,
    request: (method, requestPath, requestOptions = {}) =>
      sendRequest(agent, server.url, method, requestPath, requestOptions),
    close: async () => {
      if (closed) return;
      closed = true;
      agent.destroy();
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** One HTTPS request through a pinned agent; shared by the test servers' helpers. */
export function sendRequest<T>(
  agent: https.Agent,
  baseUrl: string,
  method: string,
  requestPath: string,
  options: TestRequestOptions,
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: Buffer | undefined;
  if (options.rawBody !== undefined) {
    payload = Buffer.isBuffer(options.rawBody)
      ? options.rawBody
      : Buffer.from(options.rawBody, 'utf8');
  } else if (options.body !== undefined) {
    payload = Buffer.from(JSON.stringify(options.body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  if (payload !== undefined) headers['content-length'] = String(payload.length);
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;

  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL(requestPath, baseUrl),
      { method, headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch (_error) {
            json = undefined;
          }
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            json: json as T,
            text,
            bytes,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
