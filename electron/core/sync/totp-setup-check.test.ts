import { describe, expect, it } from 'vitest';
import { totpLabel } from './totp-setup-check.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const uri = (label: string, secret: string, type = 'totp') =>
  `otpauth://${type}/${label}?secret=${secret}&issuer=Coffer&algorithm=SHA1&digits=6&period=30`;

describe('totpLabel', () => {
  it('answers the account label of a TOTP URI that carries the key shown', () => {
    expect(totpLabel(uri('Coffer:ann%40example.test', SECRET), SECRET)).toBe(
      'Coffer:ann@example.test',
    );
  });

  it('refuses a URI with another key than the one shown, or none', () => {
    const other = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(other).not.toBe(SECRET);
    expect(() => totpLabel(uri('Coffer:ann', other), SECRET)).toThrow(
      expect.objectContaining({ code: 'SERVER_ERROR' }),
    );
    expect(() => totpLabel('otpauth://totp/Coffer:ann?issuer=Coffer', SECRET)).toThrow(
      expect.objectContaining({ code: 'SERVER_ERROR' }),
    );
  });

  it('refuses what is not a TOTP URI or not a base32 key', () => {
    for (const [text, secret] of [
      [uri('Coffer:ann', SECRET, 'hotp'), SECRET],
      [`https://evil.example/?secret=${SECRET}`, SECRET],
      [`javascript:alert(1)//?secret=${SECRET}`, SECRET],
      ['not a url', SECRET],
      [uri('Coffer:ann', 'short'), 'short'],
      [uri('Coffer:ann', 'lower1case0and8digits9'), 'lower1case0and8digits9'],
      [uri('Coffer:%E0%A4%A', SECRET), SECRET],
    ] as const) {
      expect(() => totpLabel(text, secret)).toThrow(
        expect.objectContaining({ code: 'SERVER_ERROR' }),
      );
    }
  });
});
