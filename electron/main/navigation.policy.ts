/**
 * Where a window may go. A Coffer window only ever shows the app itself: navigating or
 * redirecting anywhere else is cancelled, and no page may open a new window. A link to
 * the outside world (a client's website, a mailto:) goes to the user's own browser or
 * mail program, and only when `externalOpenDecision` allows it.
 */
import { isAppUrl } from './app-origin.js';

export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

const MAX_EXTERNAL_URL_LENGTH = 2048;
/** Whitespace and control characters: a URL that holds them is not what it looks like. */
function hasUnsafeCharacters(url: string): boolean {
  for (const char of url) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || /\s/.test(char)) return true;
  }
  return false;
}
/** One mail address, loosely: something@host.tld, no parameters smuggled in the address. */
const MAIL_ADDRESS = /^[^@/?#\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export type ExternalOpenDecision = { open: true; url: string } | { open: false; reason: string };

/**
 * Whether a URL may be handed to `shell.openExternal`: https with a host and no user
 * name or password in it, or a mailto: to one address. Anything else (file:, http:,
 * custom schemes that start other programs, javascript:) is refused. The URL opened is
 * the parsed, normalised one, never the raw string.
 */
export function externalOpenDecision(url: string): ExternalOpenDecision {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return { open: false, reason: 'too long' };
  if (hasUnsafeCharacters(url)) return { open: false, reason: 'unsafe characters' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { open: false, reason: 'not a URL' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { open: false, reason: 'credentials in URL' };
  }
  if (parsed.protocol === 'https:') {
    if (parsed.hostname === '' || !parsed.hostname.includes('.')) {
      return { open: false, reason: 'no public host' };
    }
    return { open: true, url: parsed.href };
  }
  if (parsed.protocol === 'mailto:') {
    const address = decodeMailAddress(parsed.pathname);
    if (address === null || !MAIL_ADDRESS.test(address)) {
      return { open: false, reason: 'not one mail address' };
    }
    return { open: true, url: parsed.href };
  }
  return { open: false, reason: `scheme ${parsed.protocol} is not allowed` };
}

function decodeMailAddress(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}
