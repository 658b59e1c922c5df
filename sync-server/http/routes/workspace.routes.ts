import type { FastifyInstance } from 'fastify';

import { can, type WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { ServerDeps } from '../../deps.js';
import type { WorkspacePolicy } from '../../storage/workspace.repository.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { workspacesFor } from '../../workspaces/workspaces.js';
import { authOf } from '../auth-context.js';
import { noBodyMeansEmpty } from './optional-body.js';
import {
  inviteBodySchema,
  inviteTokenParams,
  memberParams,
  memberSessionViewSchema,
  memberViewSchema,
  nameBlobSchema,
  policySchema,
  roleSchema,
  sessionParams,
  workspaceErrors as errors,
  workspaceParams,
  workspaceViewSchema,
} from './workspace.schemas.js';

/**
 * Workspaces, members, invites, policy and members' sessions (the audit log:
 * workspace-audit.routes.ts).
 * Who may call what is not decided here: each route under /v1/workspaces/:id states its
 * action of the shared role matrix (`config.workspaceAction`) and
 * workspaces/workspace-access.ts enforces it; `auth` says whether a step-up is needed.
 */
export async function workspaceRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { workspaces, invites } = workspacesFor(deps);

  app.get(
    '/v1/workspaces',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Your workspaces, with your role in each',
        tags: ['workspaces'],
        response: {
          200: {
            type: 'object',
            required: ['workspaces'],
            additionalProperties: false,
            properties: { workspaces: { type: 'array', items: workspaceViewSchema } },
          },
          ...errors,
        },
      },
    },
    async (request) => ({ workspaces: await workspaces.listForUser(authOf(request).userId) }),
  );

  app.post<{ Body: { nameBlob: string } }>(
    '/v1/workspaces',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Create a workspace; you become its admin',
        tags: ['workspaces'],
        body: {
          type: 'object',
          required: ['nameBlob'],
          additionalProperties: false,
          properties: { nameBlob: nameBlobSchema },
        },
        response: { 201: workspaceViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await workspaces.create(authOf(request).userId, request.body.nameBlob);
      request.workspace = { id: created.id, role: created.role };
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/workspaces/:id/members',
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: 'The members of a workspace',
        tags: ['workspaces'],
        params: workspaceParams,
        response: {
          200: {
            type: 'object',
            required: ['members'],
            additionalProperties: false,
            properties: { members: { type: 'array', items: memberViewSchema } },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const workspace = workspaceOf(request);
      return {
        members: await workspaces.listMembers(workspace.id, {
          withFactors: can(workspace.role, 'security'),
        }),
      };
    },
  );

  app.patch<{ Params: { id: string; userId: string }; Body: { role: WorkspaceRole } }>(
    '/v1/workspaces/:id/members/:userId',
    {
      config: { auth: 'step-up', workspaceAction: 'manage_members' },
      schema: {
        summary: "Change a member's role (admin, step-up)",
        description:
          'The last admin cannot be demoted: 409 LAST_ADMIN. An unknown user is 404 MEMBER_NOT_FOUND.',
        tags: ['workspaces'],
        params: memberParams,
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: { role: roleSchema },
        },
        response: { 204: { type: 'null', description: 'Changed.' }, ...errors },
      },
    },
    async (request, reply) => {
      await workspaces.setRole(workspaceOf(request).id, request.params.userId, request.body.role);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { id: string; userId: string } }>(
    '/v1/workspaces/:id/members/:userId',
    {
      config: { auth: 'step-up', workspaceAction: 'manage_members' },
      schema: {
        summary: 'Remove a member (admin, step-up)',
        description:
          'The last admin cannot be removed: 409 LAST_ADMIN. A removed member who held the ' +
          "workspace key gets 403 MEMBER_REMOVED on the workspace's routes from then on, and " +
          "the admin's device rotates the workspace key (docs/sync-keys.md).",
        tags: ['workspaces'],
        params: memberParams,
        response: { 204: { type: 'null', description: 'Removed.' }, ...errors },
      },
    },
    async (request, reply) => {
      await workspaces.removeMember(workspaceOf(request).id, request.params.userId);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { email: string; role: WorkspaceRole } }>(
    '/v1/workspaces/:id/invites',
    {
      config: { auth: 'session', workspaceAction: 'manage_members' },
      schema: {
        summary: 'Invite an email address with a role (admin)',
        description:
          'The token is in this answer only (the server keeps its SHA-256); it is single use, ' +
          'valid 7 days, and only the account with the invited address can accept it.',
        tags: ['workspaces'],
        params: workspaceParams,
        body: inviteBodySchema,
        response: {
          201: {
            type: 'object',
            required: ['token', 'expiresAt'],
            additionalProperties: false,
            properties: {
              token: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const invite = await invites.create(
        workspaceOf(request).id,
        authOf(request).userId,
        request.body.email,
        request.body.role,
      );
      return reply.code(201).send(invite);
    },
  );

  app.post<{ Params: { token: string } }>(
    '/v1/invites/:token/accept',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'session' },
      schema: {
        summary: 'Join a workspace with an invite token',
        description:
          'Errors: 404 INVITE_NOT_FOUND, 403 INVITE_WRONG_ACCOUNT (signed in with another ' +
          'address than invited), 410 INVITE_USED, 410 INVITE_EXPIRED, 409 ALREADY_MEMBER.',
        tags: ['workspaces'],
        params: inviteTokenParams,
        body: { type: 'object', additionalProperties: false, properties: {} },
        response: {
          200: {
            type: 'object',
            required: ['workspaceId', 'role'],
            additionalProperties: false,
            properties: { workspaceId: { type: 'string' }, role: roleSchema },
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const joined = await invites.accept(request.params.token, authOf(request).userId);
      request.workspace = { id: joined.workspaceId, role: joined.role };
      return joined;
    },
  );

  app.put<{ Body: WorkspacePolicy }>(
    '/v1/workspaces/:id/policy',
    {
      config: { auth: 'step-up', workspaceAction: 'security' },
      schema: {
        summary: 'Set the security policy (admin, step-up)',
        description:
          'Refused with 409 POLICY_WOULD_LOCK_OUT when it would lock out the admin setting ' +
          'it: 2FA required while they have no TOTP or passkey (or only email codes that are ' +
          'being forbidden), or email codes forbidden while they are their only factor.',
        tags: ['workspaces'],
        params: workspaceParams,
        body: policySchema,
        response: { 200: policySchema, ...errors },
      },
    },
    async (request) =>
      workspaces.setPolicy(workspaceOf(request).id, authOf(request).userId, {
        requireMfa: request.body.requireMfa,
        forbidEmailOtp: request.body.forbidEmailOtp,
      }),
  );

  app.get(
    '/v1/workspaces/:id/sessions',
    {
      config: { auth: 'session', workspaceAction: 'security' },
      schema: {
        summary: "Members' open sessions (admin)",
        tags: ['workspaces'],
        params: workspaceParams,
        response: {
          200: {
            type: 'object',
            required: ['sessions'],
            additionalProperties: false,
            properties: { sessions: { type: 'array', items: memberSessionViewSchema } },
          },
          ...errors,
        },
      },
    },
    async (request) => ({
      sessions: await workspaces.listSessions(workspaceOf(request).id, authOf(request).sessionId),
    }),
  );

  app.delete<{ Params: { id: string; sessionId: string } }>(
    '/v1/workspaces/:id/sessions/:sessionId',
    {
      config: { auth: 'step-up', workspaceAction: 'security' },
      schema: {
        summary: "Sign out a member's session (admin, step-up)",
        description:
          'Its token gets 401 SESSION_REVOKED from then on. A session of anyone who is not a ' +
          'member of this workspace is 404 SESSION_NOT_FOUND, like an unknown one.',
        tags: ['workspaces'],
        params: sessionParams,
        response: { 204: { type: 'null', description: 'Signed out.' }, ...errors },
      },
    },
    async (request, reply) => {
      await workspaces.revokeSession(workspaceOf(request).id, request.params.sessionId);
      return reply.code(204).send();
    },
  );
}
