import { describe, expect, it } from 'vitest';
import { memberFactors } from './member-factors.js';

describe('memberFactors', () => {
  it("names the server's factors as the app does, in one order, each once", () => {
    expect(memberFactors(['totp', 'webauthn'])).toEqual(['passkey', 'totp']);
    expect(memberFactors(['email', 'totp', 'email'])).toEqual(['totp', 'email']);
    expect(memberFactors([])).toEqual([]);
  });

  it('shows nothing it does not know, and null when the server told nothing', () => {
    expect(memberFactors(['backup_code', 'sms', 7, null, 'webauthn'])).toEqual(['passkey']);
    expect(memberFactors(undefined)).toBeNull();
    expect(memberFactors('totp')).toBeNull();
  });
});
