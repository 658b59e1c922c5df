/**
 * How the Sync screen writes the long strings a person compares or copies by eye: the
 * server's certificate fingerprint and the Account Recovery Key, in short groups.
 */

/**
 * `sha256:ab12…` (colons between pairs allowed) as 16 groups of 4 upper-case hex digits,
 * the way people read it aloud and compare it with what the server printed. Anything that
 * is not a SHA-256 fingerprint comes back as one group, unchanged, so nothing is hidden.
 */
export function fingerprintGroups(fingerprint: string): string[] {
  const hex = fingerprint
    .trim()
    .replace(/^sha256:/i, '')
    .replaceAll(':', '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return [fingerprint];
  return hex.match(/.{4}/g) ?? [hex];
}

/** The Recovery Key's own dash-separated groups, so it wraps between groups and not inside. */
export function recoveryKeyGroups(recoveryKey: string): string[] {
  return recoveryKey
    .trim()
    .split(/[-\s]+/)
    .filter((group) => group !== '');
}

/** The text file Download saves: the key, where it is for, and how to keep it. */
export function recoveryKeyFileText(recoveryKey: string, email: string, server: string): string {
  return [
    'Coffer sync: Account Recovery Key',
    '',
    `Account: ${email}`,
    `Server: ${server}`,
    '',
    recoveryKey,
    '',
    'You need this key to sign in to this account on a new device. Coffer and the server',
    'keep no copy: keep it somewhere safe and offline.',
    '',
  ].join('\n');
}
