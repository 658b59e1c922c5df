import type { AddressInfo } from 'node:net';

import type { FastifyInstance, RouteOptions } from 'fastify';

import type { Argon2Params } from './accounts/argon2-params.js';
import type { Clock } from './clock.js';
import { publicOrigin } from './config/server-config.js';
import type { ServerConfig } from './config/server-config.js';
import { lockDataDir, prepareDataDir } from './data-dir.js';
import { createDeps } from './deps.js';
import type { RequestAuditHook, ServerDeps } from './deps.js';
import { buildApp } from './http/app.js';
import { startRedirectServer } from './http/redirect-server.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import type { MailTransport } from './mail/create-mailer.js';
import type { Mailer } from './mail/mailer.js';
import { startMetricsListener } from './metrics/metrics-listener.js';
import { readMetricsToken } from './metrics/metrics-token.js';
import { createExpiryPruneJob } from './mfa/expiry.prune.js';
import { openSecrets } from './secrets/open-secrets.js';
import { openConfiguredStorage } from './storage/open-storage.js';
import type { Storage } from './storage/storage.js';
import { certificateNames, loadOrCreateCertificate } from './tls/certificate.js';
import { loadOutboundTrust } from './tls/outbound-trust.js';
import { openSeqAnnouncer } from './sync/open-seq-announcer.js';
import type { SyncSocketLimits } from './sync/sync-socket-hub.js';

export interface RunningServer {
  /** `https://host:port` with the real port. */
  url: string;
  port: number;
  /** The redirecting plain-HTTP listener, when configured. */
  httpUrl?: string;
  httpPort?: number;
  /** SHA-256 of the DER certificate, 64 lowercase hex. */
  fingerprint: string;
  certPem: string;
  /** Made at this start (clients have a new fingerprint to pin), not loaded. */
  certificateCreated: boolean;
  /** The Prometheus scrape port, when --metrics-port is set. */
  metricsPort?: number;
  mailTransport: MailTransport;
  deps: ServerDeps;
  app: FastifyInstance;
  /** Stops listening, waits for in-flight requests, closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  clock?: Clock;
  logger?: Logger;
  mailer?: Mailer;
  audit?: RequestAuditHook;
  onRoute?: (route: RouteOptions) => void;
  /** Caps and heartbeat of the sync WebSockets (tests lower them). */
  syncSocketLimits?: Partial<SyncSocketLimits>;
  /** The Argon2id cost of password hashes; default DEFAULT_ARGON2_PARAMS (tests lower it). */
  argon2?: Argon2Params;
}

/**
 * Starts the server: data dir (0700, locked), database (migrated), master key (outside the
 * data dir), self-signed certificate, the seq announcer (LISTEN/NOTIFY on PostgreSQL), the
 * expired-row prune timer, then HTTPS (TLS 1.3 only) and the optional redirect listener.
 * On failure everything opened so far is closed again.
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // First: a bad --trust-ca file is a configuration error, found before anything is made.
    const outboundTrust = await loadOutboundTrust(config.trustCaFile);
    await prepareDataDir(config.dataDir);
    cleanups.push(await lockDataDir(config.dataDir));
    const storage: Storage = await openConfiguredStorage(config, 'serve');
    cleanups.push(() => storage.close());
    const { secrets } = await openSecrets(config, storage.meta);
    const certificate = await loadOrCreateCertificate(
      config.dataDir,
      certificateNames(config.host, config.publicUrl),
    );

    const logger = options.logger ?? createLogger(config.logLevel);
    const seqAnnouncer = await openSeqAnnouncer(config, storage, logger);
    // Stopped after the app (its sockets) and before the database.
    cleanups.push(async () => seqAnnouncer.stop?.());

    const deps = createDeps(config, {
      storage,
      secrets,
      outboundTrust,
      ...definedOnly(options),
      logger,
      seqAnnouncer,
    });
    // Stopped after the app has closed (cleanups run in reverse), before the database.
    const expiry = createExpiryPruneJob(deps);
    await expiry.start();
    cleanups.push(() => expiry.stop());
    const app = await buildApp(deps, {
      tls: { key: certificate.keyPem, cert: certificate.certPem },
      ...(options.onRoute ? { onRoute: options.onRoute } : {}),
    });
    cleanups.push(() => app.close());
    await app.listen({ host: config.host, port: config.port });
    const port = (app.server.address() as AddressInfo).port;
    const url = publicOrigin({ ...config, publicUrl: undefined }, port);

    const running: RunningServer = {
      url,
      port,
      fingerprint: certificate.fingerprint,
      certPem: certificate.certPem,
      certificateCreated: certificate.created,
      mailTransport: deps.mailTransport,
      deps,
      app,
      close: runCleanups,
    };
    if (config.metrics !== undefined) {
      const listener = await startMetricsListener({
        host: config.metrics.host,
        port: config.metrics.port,
        token: await readMetricsToken(config.metrics.tokenFile),
        metrics: deps.metrics,
      });
      cleanups.push(() => listener.close());
      running.metricsPort = listener.port;
    }
    if (config.httpPort !== undefined) {
      const redirect = await startRedirectServer({
        host: config.host,
        port: config.httpPort,
        httpsOrigin: config.publicUrl !== undefined ? publicOrigin(config, port) : url,
      });
      cleanups.push(() => redirect.close());
      running.httpPort = redirect.port;
      running.httpUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${redirect.port}`;
    }
    return running;
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/** The options createDeps takes (all but onRoute), each only when given. */
type DepsParts = Omit<StartServerOptions, 'onRoute'>;

function definedOnly(options: StartServerOptions): DepsParts {
  const parts: DepsParts = {};
  if (options.clock) parts.clock = options.clock;
  if (options.logger) parts.logger = options.logger;
  if (options.mailer) parts.mailer = options.mailer;
  if (options.audit) parts.audit = options.audit;
  if (options.syncSocketLimits) parts.syncSocketLimits = options.syncSocketLimits;
  if (options.argon2) parts.argon2 = options.argon2;
  return parts;
}
