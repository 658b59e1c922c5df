import type { FastifyError, FastifyInstance } from 'fastify';

import type { ChangeEnvelope } from '../../../shared/sync/change-envelope.js';
import type { ServerDeps } from '../../deps.js';
import {
  ChangeLogService,
  MAX_PULL_CHANGES,
  MAX_PUSH_CHANGES,
  SYNC_BODY_LIMIT,
} from '../../sync/change-log.service.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { authOf } from '../auth-context.js';
import { HttpError, badRequest } from '../errors.js';
import {
  changeEnvelopeSchema,
  pullResponseSchema,
  pushResponseSchema,
  syncErrors as errors,
} from './sync.schemas.js';
import { errorResponseSchema } from '../schemas.js';
import { PULL_PAGE_CONTENT_TYPE, pullPageBody } from './pull-page.body.js';
import { workspaceParams } from './workspace.schemas.js';

const pushTooLarge = (): HttpError =>
  new HttpError(
    413,
    'PUSH_TOO_LARGE',
    `A push body is at most ${SYNC_BODY_LIMIT} bytes; send the changes in smaller batches.`,
  );

const tooManyChanges = (): HttpError =>
  new HttpError(
    413,
    'PUSH_TOO_MANY_CHANGES',
    `A push holds at most ${MAX_PUSH_CHANGES} changes; send them in smaller batches.`,
  );

/** A whole number 0 … 2^53 − 1 written plainly (no sign, no leading zero, no exponent). */
const SEQ_TEXT = /^(?:0|[1-9][0-9]{0,15})$/;

function wholeNumber(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (!SEQ_TEXT.test(value)) return null;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : null;
}

/**
 * Push and pull of a workspace's encrypted changes (docs/architecture.md, the sync server).
 * Push needs the matrix action `push_data` (a viewer's push is 403 as a whole); what each
 * change's collection needs beyond that is checked per change. Pull needs `read`.
 */
export async function syncRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const log = new ChangeLogService({ storage: deps.storage, clock: deps.clock });

  app.post<{ Params: { id: string }; Body: { changes: ChangeEnvelope[] } }>(
    '/v1/workspaces/:id/sync/push',
    {
      config: { auth: 'session', workspaceAction: 'push_data' },
      bodyLimit: SYNC_BODY_LIMIT,
      // Fastify's own 413 names no limit: this route says which one and what to do.
      // Thrown from here, the app's error handler answers it (as for every other error).
      errorHandler: (error: FastifyError) => {
        throw error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? pushTooLarge() : error;
      },
      // Counted before the schema walks every change, after the role check.
      preValidation: async (request) => {
        const changes = (request.body as { changes?: unknown } | null)?.changes;
        if (Array.isArray(changes) && changes.length > MAX_PUSH_CHANGES) throw tooManyChanges();
      },
      schema: {
        summary: 'Push encrypted changes to the workspace log (admin, member)',
        description:
          `At most ${MAX_PUSH_CHANGES} changes (413 PUSH_TOO_MANY_CHANGES) and ` +
          `${SYNC_BODY_LIMIT} bytes of body (413 PUSH_TOO_LARGE). Idempotent by change id: ` +
          'pushing a change again with the same bytes answers the seq it already has. Each ' +
          'change is accepted with its seq or rejected with a reason: FORBIDDEN_COLLECTION ' +
          '(your role may not push that collection), CHANGE_ID_CONFLICT (the id was pushed ' +
          'with other bytes), NOT_CANONICAL. Answered once the batch is durably committed.',
        tags: ['sync'],
        params: workspaceParams,
        body: {
          type: 'object',
          required: ['changes'],
          additionalProperties: false,
          properties: { changes: { type: 'array', minItems: 1, items: changeEnvelopeSchema } },
        },
        response: { 200: pushResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      const workspace = workspaceOf(request);
      const answer = await log.push(workspace, { userId, sessionId }, request.body.changes);
      const accepted = answer.results.filter((result) => result.status === 'accepted').length;
      deps.metrics.countPush(
        accepted,
        answer.results.length - accepted,
        request.body.changes.reduce((sum, change) => sum + change.ciphertext.length, 0),
      );
      // After the commit, so a listener that pulls at once finds the changes.
      const newest = Math.max(
        0,
        ...answer.results.map((result) => (result.status === 'accepted' ? result.seq : 0)),
      );
      if (newest > 0) deps.seqAnnouncer.publish(workspace.id, newest);
      return answer;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { after?: string; limit?: string } }>(
    '/v1/workspaces/:id/sync/pull',
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: 'Pull the changes after a seq, in seq order (every role)',
        description:
          `Pages of at most \`limit\` (1–${MAX_PULL_CHANGES}, default ${MAX_PULL_CHANGES}) ` +
          `changes and ${SYNC_BODY_LIMIT} characters of ciphertext, whichever comes first (a ` +
          'page holds at least one change when there is one). Ask again with `after` = ' +
          '`nextAfter` while `more` is true. 400 INVALID_AFTER / INVALID_LIMIT. `snapshot` is ' +
          "the newest complete snapshot (or null). Records this device's pull cursor, which " +
          'holds back pruning of the log. 410 HISTORY_PRUNED when `after` lies below what ' +
          'was pruned, with `error.details` `{ snapshotSeq, prunedThrough }`: load the ' +
          'snapshot, then pull after its seq.',
        tags: ['sync'],
        params: workspaceParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'string', description: 'A seq; 0 (the default) for the start.' },
            limit: { type: 'string', description: `1–${MAX_PULL_CHANGES}.` },
          },
        },
        response: { 200: pullResponseSchema, ...errors, 410: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const after = wholeNumber(request.query.after, 0);
      if (after === null) {
        throw badRequest('INVALID_AFTER', 'query.after must be a whole number of 0 or more');
      }
      const limit = wholeNumber(request.query.limit, MAX_PULL_CHANGES);
      if (limit === null || limit < 1 || limit > MAX_PULL_CHANGES) {
        throw badRequest(
          'INVALID_LIMIT',
          `query.limit must be a whole number from 1 to ${MAX_PULL_CHANGES}`,
        );
      }
      const workspace = workspaceOf(request);
      const page = await log.pull(workspace.id, after, limit, authOf(request).sessionId);
      deps.metrics.countPull(
        page.changes.length,
        page.changes.reduce((sum, change) => sum + change.ciphertext.length, 0),
      );
      // The schema above documents the body; pullPageBody writes it (see there for why).
      return reply.type(PULL_PAGE_CONTENT_TYPE).send(pullPageBody(page, workspace.role));
    },
  );
}
