import { generateSync, stringToBytes } from 'otplib';
import { describe, expect, it } from 'vitest';

import { matchTotp, newTotpSecret, totpCodeAt, totpStepAt, totpUri } from './totp.js';

// RFC 6238 Appendix B, SHA-1 column: seed "12345678901234567890", 8 digits.
const RFC_SEED = stringToBytes('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('RFC 6238 Appendix B (SHA-1)', () => {
  it.each(RFC_VECTORS)('otplib computes T=%i → %s', (seconds, expected) => {
    expect(
      generateSync({ secret: RFC_SEED, algorithm: 'sha1', digits: 8, period: 30, epoch: seconds }),
    ).toBe(expected);
  });

  it.each(RFC_VECTORS)('our wrapper computes and accepts T=%i → %s', (seconds, expected) => {
    const params = { secret: RFC_SEED, digits: 8 as const };
    expect(totpCodeAt(params, seconds * 1000)).toBe(expected);
    expect(matchTotp(params, expected, seconds * 1000)).toBe(totpStepAt(seconds * 1000));
  });
});

describe('matchTotp', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2030, 0, 1, 12, 0, 15);
  const step = 30_000;

  it('accepts the current step and one step either side, nothing further', () => {
    const t = totpStepAt(now);
    expect(matchTotp({ secret }, totpCodeAt({ secret }, now), now)).toBe(t);
    expect(matchTotp({ secret }, totpCodeAt({ secret }, now - step), now)).toBe(t - 1);
    expect(matchTotp({ secret }, totpCodeAt({ secret }, now + step), now)).toBe(t + 1);
    expect(matchTotp({ secret }, totpCodeAt({ secret }, now - 2 * step), now)).toBeNull();
    expect(matchTotp({ secret }, totpCodeAt({ secret }, now + 2 * step), now)).toBeNull();
  });

  it('holds the ±1 window at both edges of a step', () => {
    for (const offset of [0, 1, 29_999]) {
      const at = Math.floor(now / step) * step + offset;
      const t = totpStepAt(at);
      expect(matchTotp({ secret }, totpCodeAt({ secret }, at - 2 * step), at)).toBeNull();
      expect(matchTotp({ secret }, totpCodeAt({ secret }, at + 2 * step), at)).toBeNull();
      expect(matchTotp({ secret }, totpCodeAt({ secret }, at + step), at)).toBe(t + 1);
    }
  });

  it('rejects malformed codes without throwing', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456', '１２３４５６']) {
      expect(matchTotp({ secret }, code, now)).toBeNull();
    }
  });

  it('makes 20-byte base32 secrets and an otpauth URI apps understand', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'Coffer', 'ana@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Coffer');
  });
});
