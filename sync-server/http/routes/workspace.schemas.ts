/**
 * JSON Schemas of the workspace routes. A workspace's name reaches the server only as the
 * client encrypted it (`nameBlob`, base64, bounded): the server never sees names.
 */
import { WORKSPACE_ROLES } from '../../../shared/sync/workspace-roles.js';
import { errorResponseSchema } from '../schemas.js';
import { emailSchema, idSchema, sessionViewSchema } from './account.schemas.js';

/** Encoded size cap of a name blob (3 KiB of ciphertext). */
export const MAX_NAME_BLOB_LENGTH = 4096;

const isoTime = { type: 'string', format: 'date-time' } as const;

export const roleSchema = { type: 'string', enum: [...WORKSPACE_ROLES] } as const;

export const nameBlobSchema = {
  type: 'string',
  description: 'The workspace name, encrypted by the client, in standard padded base64.',
  minLength: 4,
  maxLength: MAX_NAME_BLOB_LENGTH,
  pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
} as const;

export const policySchema = {
  type: 'object',
  required: ['requireMfa', 'forbidEmailOtp'],
  additionalProperties: false,
  properties: {
    requireMfa: {
      type: 'boolean',
      description:
        'Members without a second factor get 403 MFA_REQUIRED on everything but enrolment.',
    },
    forbidEmailOtp: {
      type: 'boolean',
      description:
        'Email codes are refused (403 EMAIL_OTP_FORBIDDEN) for members at sign-in and step-up.',
    },
  },
} as const;

export const workspaceViewSchema = {
  type: 'object',
  required: ['id', 'nameBlob', 'role', 'createdAt', 'joinedAt', 'policy'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    nameBlob: { type: 'string' },
    role: roleSchema,
    createdAt: isoTime,
    joinedAt: isoTime,
    policy: policySchema,
  },
} as const;

export const memberViewSchema = {
  type: 'object',
  required: ['userId', 'email', 'role', 'joinedAt'],
  additionalProperties: false,
  properties: {
    userId: { type: 'string' },
    email: { type: 'string' },
    role: roleSchema,
    joinedAt: isoTime,
    // Admins only: the second factors each member has set up (backup codes left out).
    secondFactors: {
      type: 'array',
      items: { type: 'string', enum: ['webauthn', 'totp', 'email'] },
    },
  },
} as const;

export const memberSessionViewSchema = {
  ...sessionViewSchema,
  required: [...sessionViewSchema.required, 'userId'],
  properties: { ...sessionViewSchema.properties, userId: { type: 'string' } },
} as const;

const nullableString = { type: 'string', nullable: true } as const;

export const workspaceAuditEntrySchema = {
  type: 'object',
  required: [
    'id',
    'at',
    'requestId',
    'action',
    'statusCode',
    'errorCode',
    'outcome',
    'ip',
    'userId',
    'sessionId',
    'repeats',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    at: isoTime,
    requestId: { type: 'string' },
    action: { type: 'string', description: 'Method and route pattern.' },
    statusCode: { type: 'integer' },
    errorCode: nullableString,
    outcome: {
      type: 'string',
      enum: ['success', 'mfa_required', 'failure', 'rate_limited', 'error'],
    },
    ip: { type: 'string' },
    userId: { ...nullableString, description: 'Null once the account is deleted.' },
    sessionId: nullableString,
    repeats: {
      type: 'integer',
      minimum: 1,
      description:
        'How many requests alike this entry stands for: 1, or more for the summary of ' +
        'refusals counted in one minute instead of logged one by one.',
    },
  },
} as const;

export const workspaceParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: idSchema },
} as const;

export const memberParams = {
  type: 'object',
  required: ['id', 'userId'],
  additionalProperties: false,
  properties: { id: idSchema, userId: idSchema },
} as const;

export const sessionParams = {
  type: 'object',
  required: ['id', 'sessionId'],
  additionalProperties: false,
  properties: { id: idSchema, sessionId: idSchema },
} as const;

export const inviteTokenParams = {
  type: 'object',
  required: ['token'],
  additionalProperties: false,
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
} as const;

export const inviteBodySchema = {
  type: 'object',
  required: ['email', 'role'],
  additionalProperties: false,
  properties: { email: emailSchema, role: roleSchema },
} as const;

export const workspaceErrors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  410: errorResponseSchema,
  429: errorResponseSchema,
} as const;
