import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AuthenticatedSession, SessionService } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import { forbidden, unauthorized } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSession`; read it through `authOf(request)` in handlers. */
    auth?: AuthenticatedSession;
  }
}

export type AuthPreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Hooks for `onRequest` (preferred: the token is checked before the body is even parsed or
 * validated, so an anonymous caller learns nothing about a route's schema) or `preHandler`.
 */
export interface AuthHooks {
  /** 401 SESSION_REVOKED / SESSION_EXPIRED / UNAUTHENTICATED, else sets `request.auth`. */
  requireSession: AuthPreHandler;
  /** After requireSession: 403 STEP_UP_REQUIRED unless the session was stepped up in the last 10 minutes. */
  requireStepUp: AuthPreHandler;
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  return BEARER.exec(header)?.[1] ?? null;
}

/** The session `requireSession` resolved; a route without that preHandler is a bug. */
export function authOf(request: FastifyRequest): AuthenticatedSession {
  if (request.auth === undefined) {
    throw new Error('authOf() on a route without the requireSession preHandler');
  }
  return request.auth;
}

export function createAuthHooks(sessions: SessionService, clock: Clock): AuthHooks {
  return {
    async requireSession(request) {
      const token = bearerToken(request);
      if (token === null) throw unauthorized('UNAUTHENTICATED', 'Sign in to continue.');
      request.auth = await sessions.authenticate(token, request.ip);
    },
    async requireStepUp(request) {
      const auth = authOf(request);
      if (auth.elevatedUntil === null || auth.elevatedUntil <= clock.now()) {
        throw forbidden(
          'STEP_UP_REQUIRED',
          'Confirm your password (and second factor) with POST /v1/auth/step-up first.',
        );
      }
    },
  };
}
