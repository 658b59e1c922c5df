import { describe, expect, it } from 'vitest';
import { fingerprintGroups, recoveryKeyFileText, recoveryKeyGroups } from './sync-format.js';

const HEX = 'f8a45130df1643ee2b52d1dca99aecedca6a643ab70486384037218847c840a5';

describe('fingerprintGroups', () => {
  it('shows all 64 digits of a SHA-256 fingerprint in 16 groups of 4, upper case', () => {
    const groups = fingerprintGroups(`sha256:${HEX}`);
    expect(groups).toHaveLength(16);
    expect(groups[0]).toBe('F8A4');
    expect(groups.join('')).toBe(HEX.toUpperCase());
  });

  it('reads the colon-separated form the same', () => {
    const colons = `SHA256:${HEX.match(/../g)?.join(':') ?? ''}`;
    expect(fingerprintGroups(colons)).toEqual(fingerprintGroups(`sha256:${HEX}`));
  });

  it('leaves anything else whole rather than hide part of it', () => {
    for (const odd of ['sha256:abc', `sha1:${HEX}`, `sha256:${HEX}00`]) {
      expect(fingerprintGroups(odd)).toEqual([odd]);
    }
  });
});

describe('recoveryKeyGroups', () => {
  it('splits the key at its dashes and keeps every character', () => {
    const key = 'ABCD-EFGH-JKMN-PQRS';
    expect(recoveryKeyGroups(key)).toEqual(['ABCD', 'EFGH', 'JKMN', 'PQRS']);
    expect(recoveryKeyGroups(key).join('-')).toBe(key);
  });
});

describe('recoveryKeyFileText', () => {
  it('holds the key whole, the account and the server', () => {
    const text = recoveryKeyFileText('ABCD-EFGH', 'ana@example.test', 'https://127.0.0.1:8443');
    expect(text).toContain('\nABCD-EFGH\n');
    expect(text).toContain('Account: ana@example.test');
    expect(text).toContain('Server: https://127.0.0.1:8443');
  });
});
