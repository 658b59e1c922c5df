/**
 * JSON Schemas of the key directory. Keys and boxes are unpadded base64url; the service
 * also refuses text that is not canonical (400 INVALID_BASE64).
 */
import { writeErrorResponses } from '../schemas.js';
import { idSchema } from './account.schemas.js';

/** The largest box accepted, in bytes (a sealed 32-byte key is 81). */
export const MAX_KEY_BLOB_BYTES = 1024;

const versionSchema = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;

export const publicKeySchema = {
  type: 'string',
  description: 'A raw 32-byte X25519 public key, base64url without padding.',
  pattern: '^[A-Za-z0-9_-]{43}$',
} as const;

export const signingKeySchema = {
  type: 'string',
  description: 'A raw 32-byte Ed25519 public key, base64url without padding.',
  pattern: '^[A-Za-z0-9_-]{43}$',
} as const;

export const signatureSchema = {
  type: 'string',
  description: 'A 64-byte Ed25519 signature, base64url without padding.',
  pattern: '^[A-Za-z0-9_-]{86}$',
} as const;

export const keyBlobSchema = {
  type: 'string',
  description: `A sealed box (docs/sync-keys.md), base64url without padding, at most ${MAX_KEY_BLOB_BYTES} bytes.`,
  minLength: 2,
  maxLength: Math.ceil((MAX_KEY_BLOB_BYTES * 4) / 3),
  pattern: '^[A-Za-z0-9_-]+$',
} as const;

export const userKeyBodySchema = {
  type: 'object',
  required: ['version', 'publicKey', 'recoveryPublicKey', 'recoveryBlob'],
  additionalProperties: false,
  properties: {
    version: versionSchema,
    publicKey: publicKeySchema,
    recoveryPublicKey: publicKeySchema,
    recoveryBlob: keyBlobSchema,
    signingPublicKey: signingKeySchema,
    selfSignature: signatureSchema,
  },
} as const;

export const userKeyRotationBodySchema = {
  type: 'object',
  required: [
    'version',
    'publicKey',
    'signingPublicKey',
    'selfSignature',
    'previousSignature',
    'recoveryBlob',
    'devices',
  ],
  additionalProperties: false,
  properties: {
    version: versionSchema,
    publicKey: publicKeySchema,
    signingPublicKey: signingKeySchema,
    selfSignature: signatureSchema,
    previousSignature: signatureSchema,
    recoveryBlob: keyBlobSchema,
    devices: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['sessionId', 'sealedUserKey', 'certificate'],
        additionalProperties: false,
        properties: {
          sessionId: idSchema,
          sealedUserKey: keyBlobSchema,
          certificate: signatureSchema,
        },
      },
    },
  },
} as const;

export const ownDevicesSchema = {
  type: 'object',
  required: ['userKeyVersion', 'rotationDue', 'devices'],
  additionalProperties: false,
  properties: {
    userKeyVersion: { ...versionSchema, nullable: true },
    rotationDue: {
      type: 'boolean',
      description: 'A revoked session still holds the current user key: rotate it.',
    },
    devices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sessionId', 'publicKey', 'certificate'],
        additionalProperties: false,
        properties: {
          sessionId: { type: 'string' },
          publicKey: publicKeySchema,
          certificate: { ...signatureSchema, nullable: true },
        },
      },
    },
  },
} as const;

export const deviceKeyBodySchema = {
  type: 'object',
  required: ['publicKey', 'userKeyVersion', 'sealedUserKey'],
  additionalProperties: false,
  properties: {
    publicKey: publicKeySchema,
    userKeyVersion: versionSchema,
    sealedUserKey: keyBlobSchema,
    certificate: signatureSchema,
  },
} as const;

const nullable = <T extends object>(schema: T) => ({ ...schema, nullable: true }) as const;

export const ownKeysSchema = {
  type: 'object',
  required: ['userKey', 'device'],
  additionalProperties: false,
  properties: {
    userKey: nullable({
      ...userKeyBodySchema,
      properties: { ...userKeyBodySchema.properties, previousSignature: signatureSchema },
    }),
    device: nullable(deviceKeyBodySchema),
  },
} as const;

export const workspaceKeysBodySchema = {
  type: 'object',
  required: ['keyVersion', 'sealed'],
  additionalProperties: false,
  properties: {
    keyVersion: versionSchema,
    sealed: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['userId', 'userKeyVersion', 'sealedKey'],
        additionalProperties: false,
        properties: { userId: idSchema, userKeyVersion: versionSchema, sealedKey: keyBlobSchema },
      },
    },
  },
} as const;

export const ownWorkspaceKeysSchema = {
  type: 'object',
  required: ['keys'],
  additionalProperties: false,
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['keyVersion', 'userKeyVersion', 'sealedKey'],
        additionalProperties: false,
        properties: {
          keyVersion: versionSchema,
          userKeyVersion: versionSchema,
          sealedKey: keyBlobSchema,
        },
      },
    },
  },
} as const;

export const keyStateSchema = {
  type: 'object',
  required: ['userKeyVersion', 'userKeyRotationDue', 'workspaceKeyRotationDue', 'sealedToYou'],
  additionalProperties: false,
  properties: {
    userKeyVersion: { ...versionSchema, nullable: true },
    userKeyRotationDue: { type: 'boolean' },
    workspaceKeyRotationDue: { type: 'boolean' },
    sealedToYou: {
      type: 'array',
      items: {
        type: 'object',
        required: ['keyVersion', 'userKeyVersion'],
        additionalProperties: false,
        properties: { keyVersion: versionSchema, userKeyVersion: versionSchema },
      },
    },
  },
} as const;

export const memberKeysSchema = {
  type: 'object',
  required: ['members', 'rotationDue'],
  additionalProperties: false,
  properties: {
    members: {
      type: 'array',
      items: {
        type: 'object',
        required: ['userId', 'userKey', 'keyVersions'],
        additionalProperties: false,
        properties: {
          userId: { type: 'string' },
          userKey: {
            type: 'object',
            nullable: true,
            required: ['version', 'publicKey'],
            additionalProperties: false,
            properties: { version: versionSchema, publicKey: publicKeySchema },
          },
          keyVersions: { type: 'array', items: versionSchema },
          newestSealedToUserKeyVersion: { ...versionSchema, nullable: true },
          chain: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'version',
                'publicKey',
                'recoveryPublicKey',
                'signingPublicKey',
                'selfSignature',
                'previousSignature',
              ],
              additionalProperties: false,
              properties: {
                version: versionSchema,
                publicKey: publicKeySchema,
                recoveryPublicKey: publicKeySchema,
                signingPublicKey: { ...signingKeySchema, nullable: true },
                selfSignature: { ...signatureSchema, nullable: true },
                previousSignature: { ...signatureSchema, nullable: true },
              },
            },
          },
        },
      },
    },
    rotationDue: {
      type: 'boolean',
      description:
        'A former member holds the newest workspace key, or a member rotated their user key since: an admin rotates it.',
    },
  },
} as const;

export const keyErrors = writeErrorResponses;
