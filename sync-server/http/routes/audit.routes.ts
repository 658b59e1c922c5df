import type { FastifyInstance } from 'fastify';

import { encodeCursor, toSignInEntry } from '../../audit/sign-in-history.js';
import type { ServerDeps } from '../../deps.js';
import { beforeSeqOf } from './audit-page-cursor.js';
import { authOf } from '../auth-context.js';
import { errorResponseSchema } from '../schemas.js';

interface SignInsQuery {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_SIGN_IN_PAGE = 20;
export const MAX_SIGN_IN_PAGE = 100;

const nullableString = { type: 'string', nullable: true } as const;

const signInSchema = {
  type: 'object',
  required: [
    'id',
    'at',
    'kind',
    'factor',
    'outcome',
    'errorCode',
    'ip',
    'userAgent',
    'deviceName',
    'repeats',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    kind: {
      type: 'string',
      enum: ['register', 'password', 'second_factor', 'passkey', 'step_up'],
      description:
        'register (account created), password (email + password), second_factor (the code or ' +
        'passkey after a password), passkey (passwordless), step_up (re-confirmation in a session).',
    },
    factor: {
      ...nullableString,
      description: 'password, totp, email, backup_code, webauthn or passkey.',
    },
    outcome: {
      type: 'string',
      enum: ['success', 'mfa_required', 'failure', 'rate_limited', 'error'],
      description: 'mfa_required: the password was right and a second factor was asked for.',
    },
    errorCode: { ...nullableString, description: 'Why it failed, e.g. INVALID_CREDENTIALS.' },
    ip: { type: 'string' },
    userAgent: {
      ...nullableString,
      description: 'As sent, with control characters escaped (\\n, \\u001b …).',
    },
    deviceName: { ...nullableString, description: 'As sent, escaped like userAgent.' },
    repeats: {
      type: 'integer',
      minimum: 1,
      description: 'Attempts alike this entry stands for: refusals in one minute sum up.',
    },
  },
} as const;

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
              signIns: { type: 'array', items: signInSchema },
              nextCursor: nullableString,
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
