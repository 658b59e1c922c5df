/**
 * An invite to a workspace as something to send: `coffer://join?server=<origin>#<token>`.
 * The token rides in the fragment so a link pasted into a browser or a chat preview never
 * sends it anywhere; the server's address is there for the joiner's app to check against
 * the server it is signed in to. A bare token (43 base64url characters, as the server
 * issues them) is taken too.
 */

/** What the server issues: 32 random bytes as unpadded base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const LINK_PREFIX = 'coffer://join';

export interface ParsedInvite {
  token: string;
  /** The server origin the link names, or null for a bare token. */
  server: string | null;
}

export function inviteLink(serverOrigin: string, token: string): string {
  return `${LINK_PREFIX}?server=${encodeURIComponent(serverOrigin)}#${token}`;
}

/** The token (and server) of a pasted invite link or bare token, or null when it is neither. */
export function parseInvite(text: string): ParsedInvite | null {
  const trimmed = text.trim();
  if (TOKEN.test(trimmed)) return { token: trimmed, server: null };
  if (!trimmed.toLowerCase().startsWith(`${LINK_PREFIX}?`)) return null;
  const hash = trimmed.indexOf('#');
  if (hash < 0) return null;
  const token = trimmed.slice(hash + 1);
  if (!TOKEN.test(token)) return null;
  const server = queryValue(trimmed.slice(LINK_PREFIX.length + 1, hash), 'server');
  if (server === null || !/^https:\/\/[^/?#\s@]+$/i.test(server)) return null;
  return { token, server };
}

/** One parameter of a query string (shared code has no URLSearchParams in every runtime). */
function queryValue(query: string, name: string): string | null {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  return null;
}
