/**
 * JSON Schema pieces route plugins share. Every route declares a `schema` (body with
 * `additionalProperties: false`, params, querystring, response) — the OpenAPI document is
 * generated from them, and a test fails for a route that is missing from it.
 */
export const errorResponseSchema = {
  type: 'object',
  description: 'Every error: a stable SNAKE_CASE code and a message for people.',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
        message: { type: 'string' },
        details: {
          type: 'object',
          description: 'Facts to act on, for some codes (each route says which).',
          additionalProperties: true,
        },
      },
    },
  },
} as const;

/** The error answers of a signed-in route that writes and can meet a conflict. */
export const writeErrorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
} as const;

/** `security` entry for routes that take `Authorization: Bearer <token>`. */
export const bearerSecurity = [{ bearerAuth: [] }] as const;
