import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../deps.js';
import { actionOf } from './audit-event.js';
import { createPruneJob } from './audit.prune.js';
import { AuditService } from './audit.service.js';
import { rateLimiterFor } from './rate-limit.js';
import { noteResponse } from './response-notes.js';
import { SIGN_IN_ACTIONS } from './sign-in-history.js';

/** How often the summaries of ended refusal windows are written (refusal-aggregator.ts). */
const REFUSAL_FLUSH_INTERVAL_MS = 15_000;

/**
 * The audit module's part of every request, installed on the root instance by buildApp
 * (http/app.ts) before the route plugins so it covers all of them and the 404 handler:
 *
 * - `onRequest`: the per-IP rate limit, before any work (token, body, schema) is done;
 * - `preHandler`: the per-account rate limit, once the route's `requireSession` has
 *   resolved the bearer token;
 * - `onSend`: notes the error code (and for sign-in steps whether a second factor is
 *   required) for the record that app.ts's `onResponse` hook writes through `deps.audit`;
 * - `onReady` / `onClose`: starts and stops the daily prune job and the timer that writes
 *   the summaries of counted refusals (all of them at close).
 */
export async function installAuditHooks(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const limiter = rateLimiterFor(deps);
  app.addHook('onRequest', async (request) => {
    limiter.checkIp(request.ip);
  });
  app.addHook('preHandler', async (request) => {
    if (request.auth !== undefined) await limiter.checkAccount(request.auth.userId);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    noteResponse(request, reply.statusCode, payload, actionOf(request) in SIGN_IN_ACTIONS);
    return payload;
  });

  const prune = createPruneJob(deps);
  const audit = deps.audit instanceof AuditService ? deps.audit : undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await prune.start();
    if (audit === undefined) return;
    flushTimer = setInterval(() => {
      audit.flushRefusals().catch((error: unknown) => {
        deps.logger.error({ err: error }, 'audit summary write failed');
      });
    }, REFUSAL_FLUSH_INTERVAL_MS);
    flushTimer.unref();
  });
  app.addHook('onClose', async () => {
    await prune.stop();
    clearInterval(flushTimer);
    if (audit === undefined) return;
    await audit.flushRefusals(true);
    await audit.settled();
  });
}
