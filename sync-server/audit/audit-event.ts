import type { FastifyRequest } from 'fastify';

import type { AuditOutcome, AuditRecord } from '../storage/audit.repository.js';

/**
 * Characters that could end, rewrite or disguise a log line when client text is written
 * into one: C0 controls (newline, carriage return, ESC of ANSI sequences…), DEL, C1
 * controls (0x9B is an 8-bit CSI), Unicode line and paragraph separators, bidirectional
 * overrides and isolates, lone surrogates, and the backslash itself, so an escaped `\n`
 * can never be confused with text that said `\n`.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const escapeOne = (ch: string): string =>
  NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Client-supplied text as the audit log keeps it: at most `maxLength` UTF-16 units of the
 * input (then `…`), every unsafe character written as a visible escape (`\n`, `\u001b`).
 * The result is one line of printable text. Non-strings become null.
 */
export function escapeText(value: unknown, maxLength: number): string | null {
  if (typeof value !== 'string') return null;
  const cut = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return cut.replace(UNSAFE, escapeOne);
}

/** Limits for the free-text fields of a record. */
export const TEXT_LIMITS = {
  method: 16,
  route: 200,
  ip: 64,
  errorCode: 64,
  factor: 32,
  deviceName: 100,
  userAgent: 256,
} as const;

/**
 * The audit action: method and route pattern (`POST /v1/auth/login`). The URL itself is
 * never used — paths and query strings may carry invite or share tokens.
 */
export function actionOf(request: FastifyRequest): string {
  const method = escapeText(request.method, TEXT_LIMITS.method) ?? '?';
  const route = request.routeOptions?.url;
  return `${method} ${route === undefined ? '(no route)' : (escapeText(route, TEXT_LIMITS.route) ?? '')}`;
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

/** Only well-formed codes are kept (they come from our own error bodies). */
export function cleanErrorCode(code: unknown): string | null {
  return typeof code === 'string' && code.length <= TEXT_LIMITS.errorCode && ERROR_CODE.test(code)
    ? code
    : null;
}

export function outcomeOf(statusCode: number, mfaRequired: boolean): AuditOutcome {
  if (statusCode === 429) return 'rate_limited';
  if (statusCode >= 500) return 'error';
  if (statusCode >= 400) return 'failure';
  return mfaRequired ? 'mfa_required' : 'success';
}

/** The record as a log line shows it (time as ISO 8601). */
export function logViewOf(record: AuditRecord): Record<string, unknown> {
  const view: Record<string, unknown> = { ...record, at: new Date(record.at).toISOString() };
  for (const [key, value] of Object.entries(view)) if (value === null) delete view[key];
  return view;
}
