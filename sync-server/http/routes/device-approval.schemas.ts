/**
 * JSON Schemas of device approval. Keys and boxes are unpadded base64url, as in the key
 * directory; the service also refuses text that is not canonical (400 INVALID_BASE64).
 */
import { errorResponseSchema, writeErrorResponses } from '../schemas.js';
import { idSchema } from './account.schemas.js';
import { keyBlobSchema, publicKeySchema } from './key-directory.schemas.js';

const isoTime = { type: 'string', format: 'date-time' } as const;
const versionSchema = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;

export const approvalParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { ...idSchema, description: "The request's id (a lowercase UUID)." } },
} as const;

export const approvalRequestBodySchema = {
  type: 'object',
  required: ['id', 'devicePublicKey'],
  additionalProperties: false,
  properties: {
    id: {
      ...idSchema,
      description:
        'A random UUID the new device makes: the short code both devices show is derived from it.',
    },
    devicePublicKey: publicKeySchema,
  },
} as const;

export const approveBodySchema = {
  type: 'object',
  required: ['userKeyVersion', 'sealedUserKey'],
  additionalProperties: false,
  properties: {
    userKeyVersion: versionSchema,
    sealedUserKey: {
      ...keyBlobSchema,
      description: "The user key sealed to the new device's key.",
    },
  },
} as const;

export const approvalResultSchema = {
  type: 'object',
  required: ['id', 'state', 'createdAt', 'expiresAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'] },
    createdAt: isoTime,
    expiresAt: isoTime,
    userKeyVersion: versionSchema,
    sealedUserKey: keyBlobSchema,
  },
} as const;

export const pendingApprovalsSchema = {
  type: 'object',
  required: ['requests'],
  additionalProperties: false,
  properties: {
    requests: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'devicePublicKey',
          'deviceName',
          'platform',
          'ip',
          'createdAt',
          'expiresAt',
        ],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          devicePublicKey: publicKeySchema,
          deviceName: { type: 'string' },
          platform: { type: 'string' },
          ip: { type: 'string' },
          createdAt: isoTime,
          expiresAt: isoTime,
        },
      },
    },
  },
} as const;

export const decidedSchema = {
  type: 'object',
  required: ['state'],
  additionalProperties: false,
  properties: { state: { type: 'string', enum: ['approved', 'denied'] } },
} as const;

/** Writes' errors, and 410 for a request past its 15 minutes or whose asker signed out. */
export const approvalErrors = { ...writeErrorResponses, 410: errorResponseSchema } as const;
