import { describe, expect, it } from 'vitest';

import { matchTotp, totpCodeAt } from '../../mfa/totp.js';
import { sharesAcceptedCode, wrongTotpCode, wrongTotpCodes } from './totp-codes.js';

// Found by searching steps for this secret: moments where a naively chosen "wrong" code
// is one the server accepts.
const KEY = { secret: 'MNXWMZTFOIWXO4TPNZTS2Y3PMRSS2MBR' };
/** Here the code plus one is the next step's code. */
const PLUS_ONE_IS_NEXT = 1_901_849_760_000;
/** Here the code two steps ahead is the previous step's code. */
const TWO_AHEAD_IS_PREVIOUS = 1_901_439_720_000;
const STEP = 30_000;

describe('wrong TOTP codes for tests', () => {
  it('passes over "the right code plus one" where that is the next step’s code', () => {
    expect(totpCodeAt(KEY, PLUS_ONE_IS_NEXT)).toBe('920948');
    expect(totpCodeAt(KEY, PLUS_ONE_IS_NEXT + STEP)).toBe('920949');
    // The server signs in with the naive choice…
    expect(matchTotp(KEY, '920949', PLUS_ONE_IS_NEXT)).not.toBeNull();
    // …and refuses every code handed out as wrong.
    const wrong = wrongTotpCodes(KEY, PLUS_ONE_IS_NEXT, 12);
    expect(wrong[0]).toBe('920950');
    expect(new Set(wrong).size).toBe(12);
    for (const code of wrong) expect(matchTotp(KEY, code, PLUS_ONE_IS_NEXT), code).toBeNull();
    expect(wrongTotpCode(KEY, PLUS_ONE_IS_NEXT)).toBe('920950');
  });

  it('stays away from the codes of two steps either side', () => {
    for (let at = PLUS_ONE_IS_NEXT; at < PLUS_ONE_IS_NEXT + 200 * STEP; at += STEP) {
      const near = [-2, -1, 0, 1, 2].map((step) => totpCodeAt(KEY, at + step * STEP));
      for (const code of wrongTotpCodes(KEY, at, 5)) {
        expect(code).toMatch(/^[0-9]{6}$/);
        expect(near).not.toContain(code);
      }
    }
  });

  it('tells when a far-off step’s code is also an accepted one', () => {
    const twoAhead = totpCodeAt(KEY, TWO_AHEAD_IS_PREVIOUS + 2 * STEP);
    expect(twoAhead).toBe(totpCodeAt(KEY, TWO_AHEAD_IS_PREVIOUS - STEP));
    expect(matchTotp(KEY, twoAhead, TWO_AHEAD_IS_PREVIOUS)).not.toBeNull();
    expect(sharesAcceptedCode(KEY, TWO_AHEAD_IS_PREVIOUS, 2)).toBe(true);
    expect(sharesAcceptedCode(KEY, TWO_AHEAD_IS_PREVIOUS + STEP, 2)).toBe(false);
  });
});
