import type { FastifyInstance } from 'fastify';

import { accountsFor } from '../../accounts/accounts.js';
import type { ServerDeps } from '../../deps.js';
import { authOf } from '../auth-context.js';
import { errorResponseSchema } from '../schemas.js';
import {
  accountExportSchema,
  changePasswordBodySchema,
  idSchema,
  meResponseSchema,
  sessionViewSchema,
} from './account.schemas.js';
import { noBodyMeansEmpty } from './optional-body.js';
import { accountsOptionsFor } from './request-context.js';

interface ChangePasswordBody {
  currentPassword: string;
  newPassword: string;
  endOtherSessions?: boolean;
}

const endedSessionsSchema = {
  type: 'object',
  required: ['endedSessions'],
  additionalProperties: false,
  properties: { endedSessions: { type: 'integer', minimum: 0 } },
} as const;

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
} as const;

/**
 * The signed-in user's own account: profile, sessions, password, deletion, export. What a
 * stolen token could use against its owner (ending their other sessions, the export,
 * password, deletion) needs a step-up.
 */
export async function meRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const accounts = accountsFor(deps, accountsOptionsFor(app, deps));

  app.get(
    '/v1/me',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'The signed-in account',
        tags: ['me'],
        response: { 200: meResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { userId } = authOf(request);
      const user = await deps.storage.users.findById(userId);
      return {
        user: {
          id: userId,
          email: await accounts.accounts.emailOf(userId),
          createdAt: new Date(user?.createdAt ?? 0).toISOString(),
        },
      };
    },
  );

  app.get(
    '/v1/me/sessions',
    {
      config: { auth: 'session' },
      schema: {
        summary: "The account's active sessions",
        tags: ['me'],
        response: {
          200: {
            type: 'object',
            required: ['sessions'],
            additionalProperties: false,
            properties: { sessions: { type: 'array', items: sessionViewSchema } },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      return { sessions: await accounts.sessions.listActive(userId, sessionId) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/me/sessions/:id',
    {
      // A stolen token must not be able to sign its owner's other devices out.
      config: { auth: 'step-up' },
      schema: {
        summary: 'Sign out one of your sessions (step-up)',
        description:
          "Another account's session id answers 404 like an unknown one. To sign out the " +
          'current session, POST /v1/auth/logout needs no step-up.',
        tags: ['me'],
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: idSchema },
        },
        response: { 204: { type: 'null', description: 'Signed out.' }, ...errors },
      },
    },
    async (request, reply) => {
      await accounts.sessions.revokeOwn(authOf(request).userId, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/me/sessions/revoke-others',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'step-up' },
      schema: {
        summary: 'Sign out every other session (step-up)',
        description:
          'Ends all sessions of the account except the one making the request, and answers ' +
          'how many ended. Their tokens get 401 SESSION_REVOKED from then on.',
        tags: ['me'],
        body: { type: 'object', additionalProperties: false, properties: {} },
        response: { 200: endedSessionsSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      return { endedSessions: await accounts.sessions.revokeOthers(userId, sessionId, 'revoked') };
    },
  );

  app.post<{ Body: ChangePasswordBody }>(
    '/v1/me/password',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Change the password (step-up)',
        description:
          'The new password follows the registration policy. `endOtherSessions` signs out ' +
          'every other session.',
        tags: ['me'],
        body: changePasswordBodySchema,
        response: { 200: endedSessionsSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      return accounts.accounts.changePassword({
        userId,
        sessionId,
        ip: request.ip,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        endOtherSessions: request.body.endOtherSessions === true,
      });
    },
  );

  app.delete(
    '/v1/me',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Delete the account and its data (step-up)',
        tags: ['me'],
        response: { 204: { type: 'null', description: 'Deleted.' }, ...errors },
      },
    },
    async (request, reply) => {
      await accounts.accounts.deleteAccount(authOf(request).userId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/me/export',
    {
      // Everything about the account in one answer: not for a token alone.
      config: { auth: 'step-up' },
      schema: {
        summary: 'Export your account data (JSON, step-up)',
        tags: ['me'],
        response: { 200: accountExportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { userId, sessionId } = authOf(request);
      reply.header('content-disposition', 'attachment; filename="coffer-account-export.json"');
      return accounts.exports.exportAccount(userId, sessionId);
    },
  );
}
