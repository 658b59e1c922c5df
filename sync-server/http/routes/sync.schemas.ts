/**
 * JSON Schemas of push and pull. The envelope's schema is derived from the one zod schema
 * of shared/sync/change-envelope.ts, so the wire shape is defined once.
 */
import * as z from 'zod';

import { ChangeEnvelopeSchema } from '../../../shared/sync/change-envelope.js';
import { WORKSPACE_ROLES } from '../../../shared/sync/workspace-roles.js';
import { errorResponseSchema } from '../schemas.js';

const { $schema: _dialect, ...envelope } = z.toJSONSchema(ChangeEnvelopeSchema, {
  target: 'draft-7',
});

export const changeEnvelopeSchema = envelope;

export const loggedChangeSchema = {
  ...envelope,
  required: ['seq', ...(envelope.required ?? [])],
  properties: { seq: { type: 'integer', minimum: 1 }, ...envelope.properties },
} as const;

const epochSchema = {
  type: 'string',
  description:
    'The server’s epoch id: random, made with its database. A new one means the server was ' +
    'restored and may have lost changes; push them again.',
} as const;

export const pushResultSchema = {
  type: 'object',
  required: ['id', 'status'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['accepted', 'rejected'] },
    seq: { type: 'integer', minimum: 1, description: 'When accepted: its place in the log.' },
    reason: {
      type: 'object',
      description: 'When rejected: why (FORBIDDEN_COLLECTION, CHANGE_ID_CONFLICT, NOT_CANONICAL).',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const pushResponseSchema = {
  type: 'object',
  required: ['epoch', 'results'],
  additionalProperties: false,
  properties: { epoch: epochSchema, results: { type: 'array', items: pushResultSchema } },
} as const;

export const pullResponseSchema = {
  type: 'object',
  required: ['epoch', 'changes', 'nextAfter', 'more', 'role'],
  additionalProperties: false,
  properties: {
    epoch: epochSchema,
    changes: { type: 'array', items: loggedChangeSchema },
    nextAfter: { type: 'integer', minimum: 0 },
    more: { type: 'boolean' },
    role: {
      description:
        "The caller's role in the workspace now, so a device learns of a role change at its next pull.",
      enum: [...WORKSPACE_ROLES],
    },
    snapshot: {
      description: 'The newest complete snapshot of the workspace, or null when it has none.',
      oneOf: [
        {
          type: 'object',
          required: ['seq', 'createdAt'],
          additionalProperties: false,
          properties: {
            seq: { type: 'integer', minimum: 0 },
            createdAt: { type: 'integer', minimum: 0, description: 'Epoch ms, server clock.' },
          },
        },
        { type: 'null' },
      ],
    },
  },
} as const;

export const syncErrors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  413: errorResponseSchema,
  429: errorResponseSchema,
} as const;
