import { APP_HOST, APP_SCHEME } from '../../shared/app/desktop-ipc.js';

/**
 * Whether `url` is on the app's own origin, `app://coffer`, exactly: no user info, no
 * port, the host spelled as registered. Anything that does not parse is not the app.
 * Compared part by part because Node's URL gives non-special schemes an opaque origin.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.host === APP_HOST
  );
}
