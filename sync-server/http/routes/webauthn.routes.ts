import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifySchema } from 'fastify';

import { accountsFor } from '../../accounts/accounts.js';
import type { ServerDeps } from '../../deps.js';
import { userEmailAddress } from '../../mail/user-address.js';
import {
  backupCodesIfMissing,
  completeSignIn,
  dropOrphanBackupCodes,
  notifyFactorChange,
} from '../../mfa/sign-in.js';
import { authOf } from '../auth-context.js';
import { notFound } from '../errors.js';
import { errorResponseSchema } from '../schemas.js';
import { noBodyMeansEmpty } from './optional-body.js';
import { deviceNameSchema, platformSchema, sessionGrantSchema } from './account.schemas.js';
import { accountsOptionsFor, sessionContextOf } from './request-context.js';
import {
  authenticationResponseSchema,
  creationOptionsSchema,
  registrationResponseSchema,
  requestOptionsSchema,
} from './webauthn.schemas.js';

const TAGS = ['passkeys'];
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;
const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
} as const;
const challengeToken = {
  type: 'string',
  minLength: 43,
  maxLength: 43,
  pattern: '^[A-Za-z0-9_-]{43}$',
} as const;
/** Shown to the user in lists: one line, no control characters. */
const passkeyName = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
} as const;

const credentialParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

/**
 * Passkeys: registration for a signed-in, stepped-up user; passwordless login (no email,
 * discoverable credentials); a passkey as the second step of a password login
 * (`challengeToken`); assertion options for step-up.
 */
export async function webauthnRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const accounts = accountsFor(deps, accountsOptionsFor(app, deps));
  const { mfa } = accounts;

  app.post(
    '/v1/me/webauthn/register/options',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'step-up' },
      schema: {
        summary: 'Options to register a passkey',
        description: 'Needs a step-up. The challenge works once, for 5 minutes.',
        tags: TAGS,
        body: emptyBody,
        response: { 200: creationOptionsSchema, ...errors },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      const email = (await userEmailAddress(deps.storage.users, deps.secrets, userId)) ?? userId;
      return mfa.webauthn.registrationOptions(userId, email);
    },
  );

  app.post(
    '/v1/me/webauthn/register/verify',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Register a passkey',
        description:
          'Needs a step-up. When this is the first second factor, ten backup codes come with the answer (shown once).',
        tags: TAGS,
        body: {
          type: 'object',
          required: ['response'],
          additionalProperties: false,
          properties: { response: registrationResponseSchema, name: passkeyName },
        },
        response: {
          201: {
            type: 'object',
            required: ['id', 'name', 'createdAt'],
            additionalProperties: false,
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              createdAt: { type: 'string' },
              backupCodes: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request, reply) => {
      const { userId } = authOf(request);
      const body = request.body as { response: RegistrationResponseJSON; name?: string };
      const record = await mfa.webauthn.verifyRegistration(
        userId,
        body.response,
        body.name ?? 'Passkey',
      );
      const codes = await backupCodesIfMissing(mfa, userId);
      await notifyFactorChange(deps, mfa, userId, 'passkey_added');
      return reply.code(201).send({
        id: record.id,
        name: record.name,
        createdAt: new Date(record.createdAt).toISOString(),
        ...(codes === undefined ? {} : { backupCodes: codes }),
      });
    },
  );

  app.delete(
    '/v1/me/webauthn/credentials/:id',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Remove a passkey',
        tags: TAGS,
        params: credentialParams,
        response: { 204: { type: 'null' }, ...errors },
      } satisfies FastifySchema,
    },
    async (request, reply) => {
      const { userId } = authOf(request);
      const { id } = request.params as { id: string };
      if (!(await mfa.webauthn.remove(userId, id))) {
        throw notFound('PASSKEY_NOT_FOUND', 'No such passkey.');
      }
      await dropOrphanBackupCodes(mfa, userId);
      await notifyFactorChange(deps, mfa, userId, 'passkey_removed');
      return reply.code(204).send();
    },
  );

  app.patch(
    '/v1/me/webauthn/credentials/:id',
    {
      // A name only labels the key in lists: changing it grants nothing, so no step-up.
      config: { auth: 'session' },
      schema: {
        summary: 'Rename a passkey',
        tags: TAGS,
        params: credentialParams,
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: passkeyName },
        },
        response: {
          200: {
            type: 'object',
            required: ['id', 'name'],
            additionalProperties: false,
            properties: { id: { type: 'string' }, name: { type: 'string' } },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      const { id } = request.params as { id: string };
      const { name } = request.body as { name: string };
      if (!(await mfa.webauthn.rename(userId, id, name))) {
        throw notFound('PASSKEY_NOT_FOUND', 'No such passkey.');
      }
      return { id, name };
    },
  );

  app.post(
    '/v1/me/webauthn/options',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'session' },
      schema: {
        summary: 'Passkey assertion options for step-up',
        description: 'Send the assertion to POST /v1/auth/step-up with method webauthn.',
        tags: TAGS,
        body: emptyBody,
        response: { 200: requestOptionsSchema, ...errors },
      } satisfies FastifySchema,
    },
    async (request) =>
      mfa.webauthn.authenticationOptions({ ceremony: 'step_up', userId: authOf(request).userId }),
  );

  app.post(
    '/v1/auth/webauthn/options',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'none' },
      schema: {
        summary: 'Passkey assertion options for signing in',
        description:
          'Without a body (or without challengeToken): passwordless login with a discoverable ' +
          'passkey. With the challengeToken of a password login: the passkey as second factor. ' +
          'The challenge works once, for 5 minutes.',
        tags: TAGS,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { challengeToken },
        },
        response: { 200: requestOptionsSchema, ...errors },
      } satisfies FastifySchema,
    },
    async (request) => {
      const body = request.body as { challengeToken?: string };
      if (body.challengeToken !== undefined) {
        return mfa.gate.challengeWebauthnOptions(body.challengeToken);
      }
      return mfa.webauthn.authenticationOptions({ ceremony: 'login' });
    },
  );

  app.post(
    '/v1/auth/webauthn/verify',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Sign in with a passkey',
        description:
          'Passwordless (no challengeToken; the passkey must verify the user) or as the second ' +
          'factor of a password login (with its challengeToken). Issues a session. As a second ' +
          'factor, a failed assertion counts toward the account cap on wrong answers (10 an ' +
          'hour, then 429 TOO_MANY_ATTEMPTS with Retry-After).',
        tags: TAGS,
        body: {
          type: 'object',
          required: ['response'],
          additionalProperties: false,
          properties: {
            response: authenticationResponseSchema,
            challengeToken,
            deviceName: deviceNameSchema,
            platform: platformSchema,
          },
        },
        response: { 200: sessionGrantSchema, ...errors },
      } satisfies FastifySchema,
    },
    async (request) => {
      const body = request.body as {
        response: AuthenticationResponseJSON;
        challengeToken?: string;
        deviceName?: string;
        platform?: string;
      };
      if (body.challengeToken !== undefined) {
        const done = await mfa.gate.completeChallenge(body.challengeToken, {
          method: 'webauthn',
          response: body.response,
        });
        return completeSignIn(deps, accounts.sessions, mfa, done.userId, done.context, done.method);
      }
      const { userId } = await mfa.webauthn.verifyAuthentication(body.response, {
        ceremony: 'login',
      });
      return completeSignIn(
        deps,
        accounts.sessions,
        mfa,
        userId,
        sessionContextOf(request, {
          deviceName: body.deviceName ?? 'Passkey sign-in',
          platform: body.platform,
        }),
        'passkey',
      );
    },
  );
}
