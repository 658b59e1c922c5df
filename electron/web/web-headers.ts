import { CONTENT_SECURITY_POLICY } from '../../shared/app/content-security-policy.js';

/**
 * Sent on every web-mode response, errors included. The CSP is the one the desktop
 * window gets. Nothing is cached: pages and answers belong to one launch, whose token
 * dies with it, and a rebuilt renderer must never be mixed with an old one.
 */
export const WEB_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** The cookie that carries the launch token after the first visit. */
export const TOKEN_COOKIE = 'coffer-token';

/** HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}
