import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';
import { DeviceApprovalService } from '../../keys/device-approval.service.js';
import type {
  DeviceApprovalBody,
  DeviceApprovalRequestBody,
} from '../../keys/device-approval.service.js';
import { authOf } from '../auth-context.js';
import {
  approvalErrors as errors,
  approvalParams,
  approvalRequestBodySchema,
  approvalResultSchema,
  approveBodySchema,
  decidedSchema,
  pendingApprovalsSchema,
} from './device-approval.schemas.js';
import { noBodyMeansEmpty } from './optional-body.js';

/**
 * Device approval (docs/sync-keys.md): a new device signed in with password and second
 * factor asks for the user key; the user's devices that hold it list the request and approve
 * (sealing the user key to the new device's public key) or deny; the new device reads the
 * answer. Each request is the user's and its asking session's alone: any other id is 404.
 */
export async function deviceApprovalRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const approvals = new DeviceApprovalService({ storage: deps.storage, clock: deps.clock });

  app.post<{ Body: DeviceApprovalRequestBody }>(
    '/v1/me/device-approvals',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Ask your other devices for your user key (a new device)',
        description:
          'The request lives 15 minutes. 409 DEVICE_KEY_EXISTS when this session already holds ' +
          'the user key, 409 USER_KEY_MISSING before the account has one, 409 ' +
          'DEVICE_APPROVAL_EXISTS for an id taken by another request, 429 ' +
          'TOO_MANY_APPROVAL_REQUESTS past 5 requests in 15 minutes. The same request again: 200.',
        tags: ['keys'],
        body: approvalRequestBodySchema,
        response: { 200: approvalResultSchema, 201: approvalResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { userId, sessionId } = authOf(request);
      const made = await approvals.request(userId, sessionId, request.body);
      return reply.code(made.status).send(made.view);
    },
  );

  app.get(
    '/v1/me/device-approvals',
    {
      config: { auth: 'session' },
      schema: {
        summary: "Your new devices' requests waiting for a decision (not this device's own)",
        tags: ['keys'],
        response: { 200: pendingApprovalsSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      return approvals.pending(userId, sessionId);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/me/device-approvals/:id',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'The answer to this device’s own request: with an approval, the sealed user key',
        description: 'Only the session that asked reads it; any other caller gets 404.',
        tags: ['keys'],
        params: approvalParams,
        response: { 200: approvalResultSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      return approvals.result(userId, sessionId, request.params.id);
    },
  );

  app.post<{ Params: { id: string }; Body: DeviceApprovalBody }>(
    '/v1/me/device-approvals/:id/approve',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Approve a new device: your user key sealed to its public key (step-up)',
        description:
          '403 DEVICE_KEY_REQUIRED unless this session holds the current user key, 404 ' +
          'DEVICE_APPROVAL_NOT_FOUND, 409 DEVICE_APPROVAL_DECIDED (a request is decided once), ' +
          '410 DEVICE_APPROVAL_EXPIRED after 15 minutes, 410 DEVICE_APPROVAL_ENDED when the ' +
          'asking session ended, 409 USER_KEY_STALE for another user key version.',
        tags: ['keys'],
        params: approvalParams,
        body: approveBodySchema,
        response: { 200: decidedSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      await approvals.approve(userId, sessionId, request.params.id, request.body);
      return { state: 'approved' };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/me/device-approvals/:id/deny',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'session' },
      schema: {
        summary: 'Deny a new device its request',
        description: 'The same refusals as approving, without the step-up.',
        tags: ['keys'],
        params: approvalParams,
        body: { type: 'object', additionalProperties: false, properties: {} },
        response: { 200: decidedSchema, ...errors },
      },
    },
    async (request) => {
      const { userId, sessionId } = authOf(request);
      await approvals.deny(userId, sessionId, request.params.id);
      return { state: 'denied' };
    },
  );
}
