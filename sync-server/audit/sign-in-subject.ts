import { createHash } from 'node:crypto';

import type { FastifyRequest } from 'fastify';

import { normaliseEmail } from '../secrets/secret-box.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Storage } from '../storage/storage.js';
import { TEXT_LIMITS, escapeText } from './audit-event.js';
import type { SignInKind } from './sign-in-history.js';

/** What a sign-in record adds to the plain request record. */
export interface SignInFacts {
  /** The account the attempt was for, when it exists. */
  subjectUserId: string | null;
  factor: string | null;
  deviceName: string | null;
}

export interface SignInSubjectDeps {
  storage: Storage;
  secrets: SecretBox;
}

type Body = Record<string, unknown>;

const bodyOf = (request: FastifyRequest): Body =>
  typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)
    ? (request.body as Body)
    : {};

const shortString = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;

/**
 * Works out which account a sign-in request was for, from what the request named: the
 * email (by its lookup HMAC, as login does), the challenge token (by its SHA-256, as the
 * mfa module stores it) or the passkey's credential id. The raw email, password, token or
 * code is read here in memory only and never stored or logged.
 */
export async function signInFactsOf(
  kind: SignInKind,
  request: FastifyRequest,
  statusCode: number,
  deps: SignInSubjectDeps,
): Promise<SignInFacts> {
  const body = bodyOf(request);
  const deviceName = escapeText(body.deviceName, TEXT_LIMITS.deviceName);
  const factorFrom = (value: unknown): string | null => escapeText(value, TEXT_LIMITS.factor);
  switch (kind) {
    case 'register':
      return {
        // A refused registration (e.g. EMAIL_TAKEN) is not a sign-in of the existing account.
        subjectUserId: statusCode === 201 ? await userByEmail(body.email, deps) : null,
        factor: 'password',
        deviceName,
      };
    case 'password':
      return { subjectUserId: await userByEmail(body.email, deps), factor: 'password', deviceName };
    case 'second_factor': {
      const challenge = await challengeOf(body.challengeToken, deps);
      return {
        subjectUserId: challenge?.userId ?? null,
        factor: factorFrom(body.method),
        deviceName: escapeText(challenge?.context.deviceName, TEXT_LIMITS.deviceName),
      };
    }
    case 'passkey': {
      if (body.challengeToken !== undefined) {
        const challenge = await challengeOf(body.challengeToken, deps);
        return {
          subjectUserId: challenge?.userId ?? null,
          factor: 'webauthn',
          deviceName: escapeText(challenge?.context.deviceName, TEXT_LIMITS.deviceName),
        };
      }
      return {
        subjectUserId: await userByCredential(body.response, deps),
        factor: 'passkey',
        deviceName,
      };
    }
    case 'step_up':
      return {
        subjectUserId: request.auth?.userId ?? null,
        factor: body.method === undefined ? 'password' : factorFrom(body.method),
        deviceName: null,
      };
  }
}

async function userByEmail(email: unknown, deps: SignInSubjectDeps): Promise<string | null> {
  const address = shortString(email, 320);
  if (address === null) return null;
  const lookup = deps.secrets.lookupHash('email', normaliseEmail(address));
  return (await deps.storage.users.findByEmailLookup(lookup))?.id ?? null;
}

async function challengeOf(token: unknown, deps: SignInSubjectDeps) {
  const value = shortString(token, 256);
  if (value === null) return null;
  const tokenHash = createHash('sha256').update(value).digest('hex');
  return deps.storage.mfa.getLoginChallengeByTokenHash(tokenHash);
}

async function userByCredential(
  response: unknown,
  deps: SignInSubjectDeps,
): Promise<string | null> {
  if (typeof response !== 'object' || response === null) return null;
  const id = shortString((response as Body).id, 1024);
  if (id === null) return null;
  return (await deps.storage.mfa.getCredential(id))?.userId ?? null;
}
