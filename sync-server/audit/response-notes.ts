import type { FastifyRequest } from 'fastify';

/** What the audit record needs from a response body, read as the body is sent. */
export interface ResponseNote {
  /** `error.code` of an error answer. */
  errorCode: string | null;
  /** A sign-in step that answered `mfaRequired: true` (password right, second factor next). */
  mfaRequired: boolean;
  /** The session a sign-in issued (its id, never its token). */
  issuedSessionId: string | null;
}

const notes = new WeakMap<FastifyRequest, ResponseNote>();

const ERROR_CODE = /^\{"error":\{"code":"([A-Z][A-Z0-9_]*)"/;
const SESSION_ID = /"sessionId":"([0-9a-f-]{36})"/;

/**
 * Called from an `onSend` hook with the serialised body. Only the error code, the
 * `mfaRequired` flag and an issued session id are taken (by pattern, nothing is kept of
 * the rest); `signIn` says whether the route is a sign-in step, the only ones whose
 * successful bodies are looked at.
 */
export function noteResponse(
  request: FastifyRequest,
  statusCode: number,
  payload: unknown,
  signIn: boolean,
): void {
  if (typeof payload !== 'string') return;
  if (statusCode >= 400) {
    const code = ERROR_CODE.exec(payload)?.[1] ?? null;
    notes.set(request, { errorCode: code, mfaRequired: false, issuedSessionId: null });
  } else if (signIn) {
    notes.set(request, {
      errorCode: null,
      mfaRequired: payload.includes('"mfaRequired":true'),
      issuedSessionId: SESSION_ID.exec(payload)?.[1] ?? null,
    });
  }
}

export function responseNoteOf(request: FastifyRequest): ResponseNote {
  return notes.get(request) ?? { errorCode: null, mfaRequired: false, issuedSessionId: null };
}
