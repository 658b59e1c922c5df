import path from 'node:path';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { DEFAULT_ARGON2_PARAMS } from './accounts/argon2-params.js';
import type { Argon2Params } from './accounts/argon2-params.js';
import { AuditService } from './audit/audit.service.js';
import type { LoginThrottle } from './audit/login-throttle.js';
import { StoredLoginThrottle } from './audit/stored-login-throttle.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import type { ServerConfig } from './config/server-config.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { createMailer } from './mail/create-mailer.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import type { MailTransport } from './mail/create-mailer.js';
import type { Mailer } from './mail/mailer.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { Storage } from './storage/storage.js';
import { InProcessSeqAnnouncer } from './sync/seq-announcer.js';
import type { SeqAnnouncer } from './sync/seq-announcer.js';
import { DEFAULT_SYNC_SOCKET_LIMITS, SyncSocketHub } from './sync/sync-socket-hub.js';
import type { SyncSocketLimits } from './sync/sync-socket-hub.js';
import { PUBLIC_TRUST } from './tls/outbound-trust.js';
import type { OutboundTrust } from './tls/outbound-trust.js';

/**
 * Called once per finished request (Fastify `onResponse`), for every route and for
 * 404s and errors too. The audit owner implements it; a failure is logged and never
 * reaches the client.
 */
export interface RequestAuditHook {
  record(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** Everything a route plugin or service needs; built once per server. */
export interface ServerDeps {
  config: ServerConfig;
  clock: Clock;
  storage: Storage;
  secrets: SecretBox;
  mailer: Mailer;
  /** Where mail goes (SMTP relay or the outbox folder); start-up prints it. */
  mailTransport: MailTransport;
  /** pino, with credentials redacted. Never log a secret, token, code or password. */
  logger: Logger;
  audit?: RequestAuditHook;
  /**
   * Failed-login backoff (audit/login-throttle.ts), kept in storage; the password login and
   * step-up call it.
   */
  loginThrottle: LoginThrottle;
  /** Whom outgoing TLS trusts (SMTP relay, HaveIBeenPwned): --trust-ca plus Node's list. */
  outboundTrust: OutboundTrust;
  /** Told the newest seq after each push commits; the sync sockets listen to it. */
  seqAnnouncer: SeqAnnouncer;
  /** The open sync WebSockets (GET /v1/workspaces/:id/sync/ws). */
  syncSockets: SyncSocketHub;
  /** Counters and histograms the operator scrapes (metrics/server-metrics.ts). */
  metrics: ServerMetrics;
  /** The Argon2id cost new password hashes get (accounts/argon2-params.ts). */
  argon2: Argon2Params;
}

export const outboxDir = (config: ServerConfig): string => path.join(config.dataDir, 'outbox');

/**
 * Wires the dependencies. Storage and secrets come opened (server.ts opens them, tests
 * pass their own); everything else has a default that `parts` may replace.
 */
export function createDeps(
  config: ServerConfig,
  parts: {
    storage: Storage;
    secrets: SecretBox;
    clock?: Clock;
    logger?: Logger;
    mailer?: Mailer;
    audit?: RequestAuditHook;
    loginThrottle?: LoginThrottle;
    outboundTrust?: OutboundTrust;
    seqAnnouncer?: SeqAnnouncer;
    syncSocketLimits?: Partial<SyncSocketLimits>;
    argon2?: Argon2Params;
  },
): ServerDeps {
  const clock = parts.clock ?? systemClock;
  const logger = parts.logger ?? createLogger(config.logLevel);
  const outboundTrust = parts.outboundTrust ?? PUBLIC_TRUST;
  let mailer = parts.mailer;
  let mailTransport: MailTransport = { kind: 'smtp' };
  if (mailer === undefined) {
    const created = createMailer({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      outboxDir: outboxDir(config),
      clock,
      logger,
      trust: outboundTrust,
    });
    mailer = created.mailer;
    mailTransport = created.transport;
  }
  const seqAnnouncer = parts.seqAnnouncer ?? new InProcessSeqAnnouncer();
  const syncSockets = new SyncSocketHub({
    storage: parts.storage,
    clock,
    announcer: seqAnnouncer,
    logger,
    limits: { ...DEFAULT_SYNC_SOCKET_LIMITS, ...parts.syncSocketLimits },
  });
  const deps: ServerDeps = {
    config,
    clock,
    storage: parts.storage,
    secrets: parts.secrets,
    mailer,
    mailTransport,
    logger,
    loginThrottle: parts.loginThrottle ?? new StoredLoginThrottle(parts.storage, clock),
    outboundTrust,
    seqAnnouncer,
    syncSockets,
    metrics: new ServerMetrics({
      openSockets: () => syncSockets.size,
      storagePool: () => parts.storage.poolStats?.(),
    }),
    argon2: parts.argon2 ?? DEFAULT_ARGON2_PARAMS,
  };
  deps.audit =
    parts.audit ??
    new AuditService({ storage: parts.storage, secrets: parts.secrets, clock, logger });
  return deps;
}
