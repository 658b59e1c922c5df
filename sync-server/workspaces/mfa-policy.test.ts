import { describe, expect, it } from 'vitest';

import type { MfaMethod } from '../mfa/mfa-gate.js';
import { locksOut, usableFactors } from './mfa-policy.js';

const policy = (requireMfa: boolean, forbidEmailOtp: boolean) => ({ requireMfa, forbidEmailOtp });

describe('workspace 2FA policy', () => {
  it('backup codes never count as a factor; email codes only while allowed', () => {
    expect(usableFactors(['backup_code'], policy(true, false))).toEqual([]);
    expect(usableFactors(['email', 'backup_code'], policy(true, false))).toEqual(['email']);
    expect(usableFactors(['email', 'backup_code'], policy(true, true))).toEqual([]);
    expect(usableFactors(['webauthn', 'totp', 'email'], policy(false, true))).toEqual([
      'webauthn',
      'totp',
    ]);
  });

  it('says which policies would lock a user out', () => {
    const cases: [MfaMethod[], boolean, boolean, boolean][] = [
      [[], false, false, false],
      [[], true, false, true],
      // No factor at all: sign-in asks for none, so forbidding email alone locks nobody out.
      [[], false, true, false],
      [['email', 'backup_code'], false, true, true],
      [['email', 'backup_code'], true, false, false],
      [['email', 'totp', 'backup_code'], true, true, false],
      [['webauthn'], true, true, false],
    ];
    for (const [methods, requireMfa, forbid, expected] of cases) {
      expect(
        locksOut(methods, policy(requireMfa, forbid)),
        JSON.stringify([methods, requireMfa, forbid]),
      ).toBe(expected);
    }
  });
});
