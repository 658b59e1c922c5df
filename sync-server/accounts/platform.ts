/**
 * A short platform label for a session (shown in the session list). Clients may name it
 * (`platform` in the login body); otherwise it is guessed from the User-Agent. Only a
 * fixed vocabulary comes out of the guess, so no client text lands here unchecked.
 */
const USER_AGENT_PLATFORMS: readonly [RegExp, string][] = [
  [/Windows/i, 'windows'],
  [/iPhone|iPad|iPod|\biOS\b/i, 'ios'],
  [/Android/i, 'android'],
  [/Mac OS X|Macintosh|Darwin/i, 'macos'],
  [/CrOS/i, 'chromeos'],
  [/Linux|X11|FreeBSD|OpenBSD/i, 'linux'],
];

export const MAX_USER_AGENT_LENGTH = 512;

export function platformFromUserAgent(userAgent: string): string {
  for (const [pattern, platform] of USER_AGENT_PLATFORMS) {
    if (pattern.test(userAgent)) return platform;
  }
  return 'unknown';
}

/** The User-Agent as stored: control characters removed, length capped. */
export function cleanUserAgent(userAgent: string | undefined): string {
  if (userAgent === undefined) return '';
  return Array.from(userAgent)
    .filter((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .slice(0, MAX_USER_AGENT_LENGTH);
}
