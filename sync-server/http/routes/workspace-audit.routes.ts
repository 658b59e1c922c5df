import type { FastifyInstance } from 'fastify';

import { encodeCursor } from '../../audit/sign-in-history.js';
import type { ServerDeps } from '../../deps.js';
import { beforeSeqOf } from './audit-page-cursor.js';
import type { AuditOutcome, StoredAuditRecord } from '../../storage/audit.repository.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { badRequest } from '../errors.js';
import {
  workspaceAuditEntrySchema,
  workspaceErrors as errors,
  workspaceParams,
} from './workspace.schemas.js';

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;

interface AuditQuery {
  limit?: number;
  cursor?: string;
  userId?: string;
  action?: string;
  changesOnly?: boolean;
  outcome?: AuditOutcome;
  since?: string;
  until?: string;
}

const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?Z$';

function instantOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  // Date.parse rolls 31 February over into March: only a time that reads back the same counts.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== value.slice(0, 19)) {
    throw badRequest('INVALID_TIME', `query.${name} is not a valid time`);
  }
  return ms;
}

const toAuditEntry = (record: StoredAuditRecord) => ({
  id: record.id,
  at: new Date(record.at).toISOString(),
  requestId: record.requestId,
  action: record.action,
  statusCode: record.statusCode,
  errorCode: record.errorCode,
  outcome: record.outcome,
  ip: record.ip,
  userId: record.userId,
  sessionId: record.sessionId,
  repeats: record.repeats,
});

/** A workspace's audit log, for its admins (the matrix action `security`). */
export async function workspaceAuditRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: AuditQuery }>(
    '/v1/workspaces/:id/audit',
    {
      config: { auth: 'session', workspaceAction: 'security' },
      schema: {
        summary: "The workspace's audit log (admin)",
        description:
          'Requests made in this workspace in the last 90 days, newest first, optionally ' +
          'narrowed to one user, action, outcome or time range (`since` inclusive, `until` ' +
          'exclusive, ISO 8601 UTC), or to requests that may change something (`changesOnly`). ' +
          'Pass `nextCursor` as `cursor` for the next page.',
        tags: ['workspaces'],
        params: workspaceParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_AUDIT_PAGE,
              default: DEFAULT_AUDIT_PAGE,
            },
            cursor: { type: 'string', minLength: 1, maxLength: 64 },
            userId: { type: 'string', pattern: workspaceParams.properties.id.pattern },
            action: { type: 'string', minLength: 1, maxLength: 216 },
            changesOnly: {
              type: 'boolean',
              description:
                'Leave out requests that only read (GET, HEAD): devices fetching keys and member lists.',
            },
            outcome: {
              type: 'string',
              enum: ['success', 'mfa_required', 'failure', 'rate_limited', 'error'],
            },
            since: { type: 'string', pattern: ISO_INSTANT },
            until: { type: 'string', pattern: ISO_INSTANT },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['entries', 'nextCursor'],
            additionalProperties: false,
            properties: {
              entries: { type: 'array', items: workspaceAuditEntrySchema },
              nextCursor: { type: 'string', nullable: true },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const { query } = request;
      const limit = query.limit ?? DEFAULT_AUDIT_PAGE;
      const beforeSeq = beforeSeqOf(query.cursor);
      // One more than asked tells whether another page follows.
      const records = await deps.storage.audit.listForWorkspace(workspaceOf(request).id, {
        limit: limit + 1,
        beforeSeq,
        userId: query.userId,
        action: query.action,
        changesOnly: query.changesOnly,
        outcome: query.outcome,
        since: instantOf('since', query.since),
        until: instantOf('until', query.until),
      });
      const page = records.slice(0, limit);
      const last = page[page.length - 1];
      return {
        entries: page.map(toAuditEntry),
        nextCursor: records.length > limit && last !== undefined ? encodeCursor(last) : null,
      };
    },
  );
}
