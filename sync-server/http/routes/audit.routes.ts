import type { FastifyInstance } from 'fastify';

import { encodeCursor, toSignInEntry } from '../../audit/sign-in-history.js';
import type { ServerDeps } from '../../deps.js';
import { beforeSeqOf } from './audit-page-cursor.js';
import { authOf } from '../auth-context.js';
import { errorResponseSchema } from '../schemas.js';
import { signInEntrySchema } from './account.schemas.js';

interface SignInsQuery {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_SIGN_IN_PAGE = 20;
export const MAX_SIGN_IN_PAGE = 100;

/** The signed-in user's own sign-in history, from the audit log. */
export async function auditRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: SignInsQuery }>(
    '/v1/me/sign-ins',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Your sign-in history',
        description:
          'Every sign-in attempt for your account in the last 90 days, newest first: passwords ' +
          'right and wrong (also from other people trying your address), second factors, ' +
          'passkeys and step-ups, with IP and device. Pass `nextCursor` as `cursor` for the ' +
          'next page; it is null on the last one.',
        tags: ['me'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_SIGN_IN_PAGE,
              default: DEFAULT_SIGN_IN_PAGE,
            },
            cursor: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['signIns', 'nextCursor'],
            additionalProperties: false,
            properties: {
              signIns: { type: 'array', items: signInEntrySchema },
              nextCursor: { type: 'string', nullable: true },
            },
          },
          400: errorResponseSchema,
          401: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_SIGN_IN_PAGE;
      const beforeSeq = beforeSeqOf(request.query.cursor);
      // One more than asked tells whether another page follows.
      const records = await deps.storage.audit.listSignIns(authOf(request).userId, {
        limit: limit + 1,
        beforeSeq,
      });
      const page = records.slice(0, limit);
      const last = page[page.length - 1];
      return {
        signIns: page.map(toSignInEntry),
        nextCursor: records.length > limit && last !== undefined ? encodeCursor(last) : null,
      };
    },
  );
}
