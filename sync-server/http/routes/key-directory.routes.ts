import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';
import { KeyDirectoryService } from '../../keys/key-directory.service.js';
import type {
  DeviceKeyBody,
  SealedWorkspaceKeyBody,
  UserKeyBody,
  UserKeyRotationBody,
} from '../../keys/key-directory.service.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { authOf } from '../auth-context.js';
import {
  deviceKeyBodySchema,
  keyErrors as errors,
  keyStateSchema,
  memberKeysSchema,
  ownDevicesSchema,
  ownKeysSchema,
  ownWorkspaceKeysSchema,
  userKeyBodySchema,
  userKeyRotationBodySchema,
  workspaceKeysBodySchema,
} from './key-directory.schemas.js';
import { workspaceParams } from './workspace.schemas.js';

const stored = { type: 'null', description: 'Stored (or already there with these bytes).' };

/**
 * The key directory (docs/sync-keys.md): a user's own public keys and sealed boxes under
 * /v1/me, a workspace's sealed keys and its members' public keys under /v1/workspaces/:id.
 * A member reads only the boxes sealed to them; sealing a workspace key to members is an
 * admin's (`manage_members`), since it is what lets a new member read the workspace.
 */
export async function keyDirectoryRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const keys = new KeyDirectoryService({ storage: deps.storage, clock: deps.clock });

  app.get(
    '/v1/me/keys',
    {
      config: { auth: 'session' },
      schema: {
        summary: "Your user key's public half and recovery box, and this device's key",
        tags: ['keys'],
        response: { 200: ownKeysSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      return keys.ownKeys(userId, sessionId);
    },
  );

  app.put<{ Body: UserKeyBody }>(
    '/v1/me/keys',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Upload your first user key: its public half and the box for your Recovery Key',
        description:
          'Version 1 only (409 USER_KEY_VERSION); another key once one is stored is 409 ' +
          'USER_KEY_EXISTS (a user key changes only by rotation). The same bytes again: 200.',
        tags: ['keys'],
        body: userKeyBodySchema,
        response: { 200: stored, 201: stored, ...errors },
      },
    },
    async (request, reply) => {
      const status = await keys.putUserKey(authOf(request).userId, request.body);
      return reply.code(status).send();
    },
  );

  app.post<{ Body: UserKeyRotationBody }>(
    '/v1/me/keys/rotate',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Store the next version of your user key and its copy for each of your devices',
        description:
          'After one of your devices was revoked (docs/sync-keys.md). The next version only ' +
          '(409 USER_KEY_VERSION), sealed to exactly your signed-in devices that hold the ' +
          'current one (409 DEVICE_SET_CHANGED), signed by the current version: members check ' +
          'that signature before they take the key. The same rotation again: 200.',
        tags: ['keys'],
        body: userKeyRotationBodySchema,
        response: { 200: stored, 201: stored, ...errors },
      },
    },
    async (request, reply) => {
      const status = await keys.rotateUserKey(authOf(request).userId, request.body);
      return reply.code(status).send();
    },
  );

  app.get(
    '/v1/me/device-keys',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Your signed-in devices holding the current user key, and whether to rotate it',
        tags: ['keys'],
        response: { 200: ownDevicesSchema, ...errors },
      },
    },
    async (request) => keys.devices(authOf(request).userId),
  );

  app.put<{ Body: DeviceKeyBody }>(
    '/v1/me/device-key',
    {
      config: { auth: 'session' },
      schema: {
        summary: "This device's public key and your user key sealed to it",
        description:
          'One per session and user key version: 409 DEVICE_KEY_EXISTS for other bytes, 409 ' +
          'USER_KEY_MISSING before a user key, 409 USER_KEY_STALE for an old version.',
        tags: ['keys'],
        body: deviceKeyBodySchema,
        response: { 200: stored, 201: stored, ...errors },
      },
    },
    async (request, reply) => {
      const { userId, sessionId } = authOf(request);
      const status = await keys.putDeviceKey(userId, sessionId, request.body);
      return reply.code(status).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/workspaces/:id/keys',
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: 'The versions of the workspace key sealed to you (every role)',
        tags: ['keys'],
        params: workspaceParams,
        response: { 200: ownWorkspaceKeysSchema, ...errors },
      },
    },
    async (request) => keys.ownWorkspaceKeys(workspaceOf(request).id, authOf(request).userId),
  );

  app.put<{
    Params: { id: string };
    Body: { keyVersion: number; sealed: SealedWorkspaceKeyBody[] };
  }>(
    '/v1/workspaces/:id/keys',
    {
      config: { auth: 'session', workspaceAction: 'manage_members' },
      schema: {
        summary: 'Seal a workspace key version to members (admin)',
        description:
          'All or nothing: 404 MEMBER_NOT_FOUND for a user who is not a member, 409 ' +
          'USER_KEY_STALE unless sealed to their current user key, 409 KEY_VERSION_GAP for a ' +
          'version past the next one, 409 WORKSPACE_KEY_EXISTS when a member already holds ' +
          'other bytes under that version, 400 DUPLICATE_MEMBER.',
        tags: ['keys'],
        params: workspaceParams,
        body: workspaceKeysBodySchema,
        response: { 204: { type: 'null', description: 'Stored.' }, ...errors },
      },
    },
    async (request, reply) => {
      await keys.putWorkspaceKeys(
        workspaceOf(request).id,
        authOf(request).userId,
        request.body.keyVersion,
        request.body.sealed,
      );
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/workspaces/:id/member-keys',
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: "Members' user public keys and the key versions sealed to each (every role)",
        description:
          'Clients pin these keys on first sight and refuse a different one later ' +
          '(PINNED_KEY_MISMATCH): the server could hand out a key of its own.',
        tags: ['keys'],
        params: workspaceParams,
        response: { 200: memberKeysSchema, ...errors },
      },
    },
    async (request) => keys.memberKeys(workspaceOf(request).id),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/workspaces/:id/key-state',
    {
      config: { auth: 'session', workspaceAction: 'read' },
      schema: {
        summary: 'What a device checks before it pushes, in one answer (every role)',
        description:
          'Your current user key version and whether it is due for rotation, whether the ' +
          'workspace key is due (as member-keys says), and the workspace key versions sealed ' +
          'to you, without their boxes.',
        tags: ['keys'],
        params: workspaceParams,
        response: { 200: keyStateSchema, ...errors },
      },
    },
    async (request) => keys.keyState(workspaceOf(request).id, authOf(request).userId),
  );
}
