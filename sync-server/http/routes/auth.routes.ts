import type { FastifyInstance } from 'fastify';

import { accountsFor } from '../../accounts/accounts.js';
import type { ServerDeps } from '../../deps.js';
import type { MfaMethod, MfaProof } from '../../mfa/mfa-gate.js';
import { authOf } from '../auth-context.js';
import { badRequest } from '../errors.js';
import { errorResponseSchema } from '../schemas.js';
import {
  credentialsBodySchema,
  mfaRequiredSchema,
  newPasswordSchema,
  passwordSchema,
  sessionGrantSchema,
  stepUpBodySchema,
  stepUpResponseSchema,
} from './account.schemas.js';
import { accountsOptionsFor, sessionContextOf } from './request-context.js';

interface CredentialsBody {
  email: string;
  password: string;
  deviceName: string;
  platform?: string;
}

interface StepUpBody {
  password: string;
  method?: MfaMethod;
  code?: string;
  response?: Record<string, unknown>;
}

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
} as const;

/** Register, log in, log out, step up. */
export async function authRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const accounts = accountsFor(deps, accountsOptionsFor(app, deps));

  app.post<{ Body: CredentialsBody }>(
    '/v1/auth/register',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Create an account and sign in',
        description:
          'Password: 12–1,024 characters, not on the common-password list, not containing the ' +
          'email address, and (when the server enables it) not in a known breach. Errors: ' +
          'PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG, PASSWORD_TOO_COMMON, PASSWORD_CONTAINS_EMAIL, ' +
          'PASSWORD_BREACHED, 409 EMAIL_TAKEN. A taken address counts as a failed sign-in for ' +
          'that address and client, so registration runs under the login backoff (429 ' +
          'RATE_LIMITED with Retry-After).',
        tags: ['auth'],
        body: credentialsBodySchema(newPasswordSchema),
        response: { 201: sessionGrantSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { kind: _kind, ...grant } = await accounts.accounts.register({
        email: request.body.email,
        password: request.body.password,
        ...sessionContextOf(request, request.body),
      });
      return reply.code(201).send(grant);
    },
  );

  app.post<{ Body: CredentialsBody }>(
    '/v1/auth/login',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Sign in with email and password',
        description:
          'Answers a session, or `mfaRequired` with a challenge token when the account has a ' +
          'second factor. A wrong email or password is 401 INVALID_CREDENTIALS either way.',
        tags: ['auth'],
        body: credentialsBodySchema(passwordSchema),
        response: { 200: { anyOf: [sessionGrantSchema, mfaRequiredSchema] }, ...errors },
      },
    },
    async (request) => {
      const result = await accounts.login.login({
        email: request.body.email,
        password: request.body.password,
        ...sessionContextOf(request, request.body),
      });
      if (result.kind === 'mfa') {
        return {
          mfaRequired: true as const,
          challengeToken: result.challengeToken,
          methods: result.methods,
        };
      }
      const { kind: _kind, ...grant } = result;
      return grant;
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Sign out this session',
        tags: ['auth'],
        response: { 204: { type: 'null', description: 'Signed out.' }, ...errors },
      },
    },
    async (request, reply) => {
      await accounts.sessions.logout(authOf(request).sessionId);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: StepUpBody }>(
    '/v1/auth/step-up',
    {
      config: { auth: 'session' },
      schema: {
        summary: 'Confirm password (and second factor) to unlock sensitive actions for 10 minutes',
        description:
          'Send the password; with two-factor sign-in on, also `method` and `code` (or the ' +
          'WebAuthn `response`). Without them the answer lists the methods. A wrong password ' +
          'is 403 INVALID_CREDENTIALS (the session stays valid) and counts toward the login ' +
          'backoff; a wrong second factor counts toward the same per-account cap as at sign-in ' +
          '(10 an hour, then 429 TOO_MANY_ATTEMPTS with Retry-After).',
        tags: ['auth'],
        body: stepUpBodySchema,
        response: { 200: stepUpResponseSchema, ...errors },
      },
    },
    async (request) => {
      const result = await accounts.stepUp.stepUp(
        authOf(request),
        request.ip,
        request.body.password,
        proofOf(request.body),
      );
      if (result.kind === 'second_factor_required') {
        return { mfaRequired: true as const, methods: result.methods };
      }
      return { elevatedUntil: new Date(result.elevatedUntil).toISOString() };
    },
  );
}

/** The second factor in a step-up body, or null when none was sent. */
function proofOf(body: StepUpBody): MfaProof | null {
  if (body.method === undefined) {
    if (body.code !== undefined || body.response !== undefined) {
      throw badRequest('INVALID_REQUEST', 'body.method is required with a code or response');
    }
    return null;
  }
  if (body.method === 'webauthn') {
    if (body.response === undefined) {
      throw badRequest('INVALID_REQUEST', 'body.response is required for method webauthn');
    }
    return { method: 'webauthn', response: body.response as unknown as MfaProofWebauthn };
  }
  if (body.code === undefined) {
    throw badRequest('INVALID_REQUEST', `body.code is required for method ${body.method}`);
  }
  return { method: body.method, code: body.code };
}

type MfaProofWebauthn = Extract<MfaProof, { method: 'webauthn' }>['response'];
