/**
 * The Content-Security-Policy every Coffer window is served with, as a response header
 * (the desktop app's `app://` protocol and web mode's server send the same one): scripts,
 * styles and fonts only from the app itself, no inline script, no eval, no plugins, no
 * frames, nothing sent anywhere but the app's own origin. Images may also be `data:` and
 * `blob:` URLs, which is how a logo or a receipt picked by the user is shown.
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');
