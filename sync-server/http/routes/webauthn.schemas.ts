/**
 * JSON schemas for WebAuthn payloads (the JSON forms @simplewebauthn/browser produces).
 * Strict like every body: unknown properties are rejected. Lengths are generous for real
 * authenticators but bounded (attestation objects with certificate chains run to a few KiB).
 */
const b64url = (maxLength: number) =>
  ({ type: 'string', minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$' }) as const;

const clientExtensionResults = {
  type: 'object',
  additionalProperties: false,
  properties: {
    appid: { type: 'boolean' },
    hmacCreateSecret: { type: 'boolean' },
    credProps: {
      type: 'object',
      additionalProperties: false,
      properties: { rk: { type: 'boolean' } },
    },
  },
} as const;

const credentialCommon = {
  id: b64url(1024),
  rawId: b64url(1024),
  type: { type: 'string', enum: ['public-key'] },
  // Native PublicKeyCredential.toJSON() may give null where @simplewebauthn/browser omits it.
  authenticatorAttachment: { type: ['string', 'null'], enum: ['platform', 'cross-platform', null] },
  clientExtensionResults,
} as const;

export const registrationResponseSchema = {
  type: 'object',
  description: 'PublicKeyCredential from navigator.credentials.create(), as JSON.',
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  additionalProperties: false,
  properties: {
    ...credentialCommon,
    response: {
      type: 'object',
      required: ['clientDataJSON', 'attestationObject'],
      additionalProperties: false,
      properties: {
        clientDataJSON: b64url(4096),
        attestationObject: b64url(16384),
        authenticatorData: b64url(8192),
        transports: {
          type: 'array',
          maxItems: 8,
          items: { type: 'string', maxLength: 32, pattern: '^[a-z-]+$' },
        },
        publicKeyAlgorithm: { type: 'integer' },
        publicKey: b64url(4096),
      },
    },
  },
} as const;

export const authenticationResponseSchema = {
  type: 'object',
  description: 'PublicKeyCredential from navigator.credentials.get(), as JSON.',
  required: ['id', 'rawId', 'type', 'response', 'clientExtensionResults'],
  additionalProperties: false,
  properties: {
    ...credentialCommon,
    response: {
      type: 'object',
      required: ['clientDataJSON', 'authenticatorData', 'signature'],
      additionalProperties: false,
      properties: {
        clientDataJSON: b64url(4096),
        authenticatorData: b64url(8192),
        signature: b64url(2048),
        userHandle: {
          type: ['string', 'null'],
          maxLength: 256,
          pattern: '^[A-Za-z0-9_-]*={0,2}$',
        },
      },
    },
  },
} as const;

/** The options objects are produced by @simplewebauthn/server; documented loosely. */
export const creationOptionsSchema = {
  type: 'object',
  description: 'PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create().',
  additionalProperties: true,
} as const;

export const requestOptionsSchema = {
  type: 'object',
  description: 'PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get().',
  additionalProperties: true,
} as const;
