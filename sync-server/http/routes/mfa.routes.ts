import type { FastifyInstance, FastifySchema } from 'fastify';

import { accountsFor } from '../../accounts/accounts.js';
import type { ServerDeps } from '../../deps.js';
import { userEmailAddress } from '../../mail/user-address.js';
import { MFA_METHODS } from '../../mfa/mfa-gate.js';
import type { MfaProof } from '../../mfa/mfa-gate.js';
import {
  backupCodesIfMissing,
  completeSignIn,
  dropOrphanBackupCodes,
  notifyFactorChange,
} from '../../mfa/sign-in.js';
import { authOf } from '../auth-context.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { errorResponseSchema } from '../schemas.js';
import { noBodyMeansEmpty } from './optional-body.js';
import { sessionGrantSchema } from './account.schemas.js';
import { accountsOptionsFor } from './request-context.js';
import { authenticationResponseSchema } from './webauthn.schemas.js';

const TAGS = ['two-factor'];

const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;
const challengeToken = {
  type: 'string',
  minLength: 43,
  maxLength: 43,
  pattern: '^[A-Za-z0-9_-]{43}$',
} as const;
/** TOTP and email codes are 6 digits; backup codes 16 characters, maybe with dashes/spaces. */
const code = { type: 'string', minLength: 1, maxLength: 64 } as const;
const backupCodes = {
  type: 'array',
  minItems: 10,
  maxItems: 10,
  items: { type: 'string' },
} as const;
const methods = { type: 'array', items: { type: 'string', enum: [...MFA_METHODS] } } as const;
const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
} as const;

const sentResponse = {
  type: 'object',
  required: ['sent'],
  additionalProperties: false,
  properties: { sent: { type: 'boolean' } },
} as const;

type WebauthnResponse = Extract<MfaProof, { method: 'webauthn' }>['response'];

interface LoginMfaBody {
  challengeToken: string;
  method: MfaProof['method'];
  code?: string;
  response?: WebauthnResponse;
}

/** The proof in a body with `method` and `code`, or `response` for WebAuthn. */
function proofFrom(body: LoginMfaBody): MfaProof {
  if (body.method === 'webauthn') {
    if (body.response === undefined) {
      throw badRequest('INVALID_REQUEST', 'method webauthn needs the WebAuthn `response`.');
    }
    return { method: 'webauthn', response: body.response };
  }
  if (body.code === undefined) {
    throw badRequest('INVALID_REQUEST', `method ${body.method} needs a \`code\`.`);
  }
  return { method: body.method, code: body.code };
}

/**
 * TOTP, email codes and backup codes: enrolment under /v1/me/mfa (session + step-up), the
 * login's second step (POST /v1/auth/login/mfa) and code mails for it.
 */
export async function mfaRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const accounts = accountsFor(deps, accountsOptionsFor(app, deps));
  const { mfa } = accounts;

  app.get(
    '/v1/me/mfa',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Second factors of the signed-in user',
        tags: TAGS,
        response: {
          200: {
            type: 'object',
            required: ['methods', 'totp', 'email', 'passkeys', 'backupCodesRemaining'],
            additionalProperties: false,
            properties: {
              methods,
              totp: { type: 'boolean' },
              email: { type: 'boolean' },
              backupCodesRemaining: { type: 'integer' },
              passkeys: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'name', 'createdAt', 'lastUsedAt'],
                  additionalProperties: false,
                  properties: {
                    id: { type: 'string' },
                    name: { type: 'string' },
                    createdAt: { type: 'string' },
                    lastUsedAt: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      const passkeys = await mfa.webauthn.list(userId);
      return {
        methods: await mfa.gate.methodsFor(userId),
        totp: await mfa.totp.isEnabled(userId),
        email: await mfa.email.isEnabled(userId),
        backupCodesRemaining: await mfa.backupCodes.remaining(userId),
        passkeys: passkeys.map((p) => ({
          id: p.id,
          name: p.name,
          createdAt: new Date(p.createdAt).toISOString(),
          lastUsedAt: p.lastUsedAt === null ? null : new Date(p.lastUsedAt).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/v1/me/mfa/totp',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'step-up' },
      schema: {
        summary: 'Start authenticator-app (TOTP) setup',
        description:
          'Needs a step-up. Returns the secret, its otpauth URI and a QR code (PNG data URL).',
        tags: TAGS,
        body: emptyBody,
        response: {
          200: {
            type: 'object',
            required: ['secret', 'otpauthUri', 'qrCode'],
            additionalProperties: false,
            properties: {
              secret: { type: 'string' },
              otpauthUri: { type: 'string' },
              qrCode: { type: 'string' },
            },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      const email = (await userEmailAddress(deps.storage.users, deps.secrets, userId)) ?? userId;
      return mfa.totp.begin(userId, email);
    },
  );

  app.post(
    '/v1/me/mfa/totp/confirm',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Confirm TOTP setup with a first code',
        description:
          'Enables TOTP and returns ten new backup codes (shown once; the old set stops working).',
        tags: TAGS,
        body: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          properties: { code },
        },
        response: {
          200: {
            type: 'object',
            required: ['backupCodes'],
            additionalProperties: false,
            properties: { backupCodes },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      const { code: input } = request.body as { code: string };
      if (!(await mfa.totp.confirm(userId, input))) {
        throw badRequest('INVALID_CODE', 'The code is not correct; check the time on your device.');
      }
      const codes = await mfa.backupCodes.regenerate(userId);
      await notifyFactorChange(deps, mfa, userId, 'totp_enabled');
      return { backupCodes: codes };
    },
  );

  app.delete(
    '/v1/me/mfa/totp',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Remove the authenticator app',
        tags: TAGS,
        response: { 204: { type: 'null' }, ...errors },
      } satisfies FastifySchema,
    },
    async (request, reply) => {
      const { userId } = authOf(request);
      if (!(await mfa.totp.remove(userId))) {
        throw notFound('TOTP_NOT_ENABLED', 'No authenticator app is set up.');
      }
      await dropOrphanBackupCodes(mfa, userId);
      await notifyFactorChange(deps, mfa, userId, 'totp_removed');
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/me/mfa/email',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'step-up' },
      schema: {
        summary: 'Turn sign-in codes by email on (or off with enabled: false)',
        description:
          'Needs a step-up. When this is the first second factor, ten backup codes come with the answer (shown once).',
        tags: TAGS,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { enabled: { type: 'boolean' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['enabled'],
            additionalProperties: false,
            properties: { enabled: { type: 'boolean' }, backupCodes },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      const { enabled = true } = request.body as { enabled?: boolean };
      const was = await mfa.email.isEnabled(userId);
      await mfa.email.setEnabled(userId, enabled);
      if (was === enabled) return { enabled };
      if (!enabled) {
        await dropOrphanBackupCodes(mfa, userId);
        await notifyFactorChange(deps, mfa, userId, 'email_otp_disabled');
        return { enabled };
      }
      const codes = await backupCodesIfMissing(mfa, userId);
      await notifyFactorChange(deps, mfa, userId, 'email_otp_enabled');
      return codes === undefined ? { enabled } : { enabled, backupCodes: codes };
    },
  );

  app.delete(
    '/v1/me/mfa/email',
    {
      config: { auth: 'step-up' },
      schema: {
        summary: 'Turn sign-in codes by email off',
        tags: TAGS,
        response: { 204: { type: 'null' }, ...errors },
      } satisfies FastifySchema,
    },
    async (request, reply) => {
      const { userId } = authOf(request);
      if (await mfa.email.isEnabled(userId)) {
        await mfa.email.setEnabled(userId, false);
        await dropOrphanBackupCodes(mfa, userId);
        await notifyFactorChange(deps, mfa, userId, 'email_otp_disabled');
      }
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/me/mfa/backup-codes',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'step-up' },
      schema: {
        summary: 'Make ten new backup codes',
        description: 'Needs a step-up. The previous codes stop working. Shown once.',
        tags: TAGS,
        body: emptyBody,
        response: {
          200: {
            type: 'object',
            required: ['backupCodes'],
            additionalProperties: false,
            properties: { backupCodes },
          },
          ...errors,
        },
      } satisfies FastifySchema,
    },
    async (request) => {
      const { userId } = authOf(request);
      if ((await mfa.gate.methodsFor(userId)).length === 0) {
        throw conflict('MFA_NOT_ENABLED', 'Set up a second factor before making backup codes.');
      }
      const codes = await mfa.backupCodes.regenerate(userId);
      await notifyFactorChange(deps, mfa, userId, 'backup_codes_regenerated');
      return { backupCodes: codes };
    },
  );

  app.post(
    '/v1/me/mfa/email-code',
    {
      preValidation: noBodyMeansEmpty,
      config: { auth: 'session' },
      schema: {
        summary: 'Email a code for step-up',
        description: 'For POST /v1/auth/step-up with method email. At most 5 codes per 10 minutes.',
        tags: TAGS,
        body: emptyBody,
        response: { 202: sentResponse, ...errors },
      } satisfies FastifySchema,
    },
    async (request, reply) => {
      await mfa.gate.sendStepUpEmailCode(authOf(request).userId);
      return reply.code(202).send({ sent: true });
    },
  );

  app.post(
    '/v1/auth/login/mfa',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Second step of a login: answer the challenge',
        description:
          'With `code` for totp, email and backup_code, or `response` (a WebAuthn assertion for ' +
          'options from POST /v1/auth/webauthn/options with the challengeToken) for webauthn. ' +
          'Five wrong answers end the challenge (401 CHALLENGE_EXPIRED afterwards). Wrong ' +
          'answers also count per account, across challenges and step-ups: after 10 in an hour ' +
          'every answer, a right one too, is 429 TOO_MANY_ATTEMPTS with Retry-After until the ' +
          'oldest is an hour old, and the owner is mailed.',
        tags: TAGS,
        body: {
          type: 'object',
          required: ['challengeToken', 'method'],
          additionalProperties: false,
          properties: {
            challengeToken,
            method: { type: 'string', enum: [...MFA_METHODS] },
            code,
            response: authenticationResponseSchema,
          },
        },
        response: { 200: sessionGrantSchema, ...errors },
      } satisfies FastifySchema,
    },
    async (request) => {
      const body = request.body as LoginMfaBody;
      const done = await mfa.gate.completeChallenge(body.challengeToken, proofFrom(body));
      return completeSignIn(deps, accounts.sessions, mfa, done.userId, done.context, done.method);
    },
  );

  app.post(
    '/v1/auth/login/mfa/email-code',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Email a sign-in code for an open challenge',
        description:
          'Codes are sent only when asked for (a user with an authenticator app gets no mail). ' +
          'A new code replaces the previous one; valid 10 minutes, single use.',
        tags: TAGS,
        body: {
          type: 'object',
          required: ['challengeToken'],
          additionalProperties: false,
          properties: { challengeToken },
        },
        response: { 202: sentResponse, ...errors },
      } satisfies FastifySchema,
    },
    async (request, reply) => {
      const { challengeToken: token } = request.body as { challengeToken: string };
      await mfa.gate.sendChallengeEmailCode(token);
      return reply.code(202).send({ sent: true });
    },
  );
}
