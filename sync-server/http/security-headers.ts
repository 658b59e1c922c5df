/**
 * Sent on every HTTPS response, errors and 404s included. The API serves JSON only, so the
 * CSP allows nothing at all; pages (share links, later) get their own narrower policy.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Responses carry account data and tokens: no cache may keep them.
  'cache-control': 'no-store',
};
