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
import { accountsOptionsFor } from './request-context.js';

interface ChangePasswordBody {
  currentPassword: string;
  newPassword: string;
  endOtherSessions?: boolean;
}

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
} as const;

/** The signed-in user's own account: profile, sessions, password, deletion, export. */
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
      config: { auth: 'session' },
      schema: {
        summary: 'Sign out one of your sessions',
        description: "Another account's session id answers 404 like an unknown one.",
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
        response: {
          200: {
            type: 'object',
            required: ['endedSessions'],
            additionalProperties: false,
            properties: { endedSessions: { type: 'integer', minimum: 0 } },
          },
          ...errors,
        },
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
      config: { auth: 'session' },
      schema: {
        summary: 'Export your account data (JSON)',
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
