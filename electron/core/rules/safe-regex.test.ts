import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createLedgerFixture } from '../ledger/ledger-test-fixture.js';
import { PayeeRuleService } from './payee-rule.service.js';
import { compileSafeRegex, REGEX_TEXT_MAX } from './safe-regex.js';

function refusal(pattern: string): { code: string; message: string } | null {
  try {
    compileSafeRegex(pattern);
    return null;
  } catch (error) {
    if (!isCofferError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('compileSafeRegex', () => {
  it('refuses patterns that can backtrack catastrophically, saying why', () => {
    const evil: [string, RegExp][] = [
      ['(a+)+$', /repeated group/],
      ['(a*)*b', /repeated group/],
      ['(a|a)*$', /repeated group/],
      ['(a|ab)+c', /repeated group/],
      ['^(\\w+\\s?)*$', /repeated group/],
      ['(?:x+y?)+z', /repeated group/],
      ['((ab)*c)+', /repeated group/],
      ['(a+){10}', /repeated group/],
      ['(.*a){12}', /repeated group/],
      // OWASP's list of evil regexes.
      ['^([a-zA-Z]+)*$', /repeated group/],
      ['^(a|a?)+$', /repeated group/],
      ['^(([a-z])+.)+[A-Z]([a-z])+$', /repeated group/],
      [
        '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
        /repeated group/,
      ],
      ['(a)\\1', /backreferences/],
      ['(?<n>a)\\k<n>', /backreferences/],
      ['(?<=AMZN )Mktp', /lookbehinds/],
      ['(?<!PAYPAL )UBER', /lookbehinds/],
      ['.*a.*b.*c', /unbounded quantifiers/],
      ['\\d+\\d+\\d+x', /unbounded quantifiers/],
      ['a{1,}a{2,}a{0,50}b', /unbounded quantifiers/],
      ['a?a?a?a?a?a?a?a?a?aaaaaaaaa', /optional parts/],
      ['(ab', /not a valid regular expression/],
    ];
    for (const [pattern, reason] of evil) {
      const got = refusal(pattern);
      expect(got, pattern).not.toBeNull();
      expect(got?.code, pattern).toBe('INVALID_INPUT');
      expect(got?.message, pattern).toMatch(reason);
    }
  });

  it('accepts the patterns payee rules are made of', () => {
    const fine = [
      'AMZN',
      '^AMZN\\s*Mktp',
      'UBER\\s*(EATS)?',
      '^(SQ|TST)\\s*\\*',
      '[0-9]{4,6}',
      '(?:Rewe|Edeka|Aldi) Markt',
      'Shell (Station|Tankstelle)',
      '\\p{Lu}{3}\\d{2}',
      '(ab)+c',
      '(?=.*coffee)',
      '[(|+*)]+x',
    ];
    for (const pattern of fine) expect(refusal(pattern), pattern).toBeNull();
  });

  it('runs an accepted pattern on a long hostile row only up to the text cap', async () => {
    const fixture = await createLedgerFixture();
    try {
      const rules = new PayeeRuleService(fixture.vault);
      // The worst the guard lets through: two unbounded, overlapping quantifiers.
      rules.add({ matchKind: 'regex', pattern: '\\w*\\w*!$', renameTo: 'Never' });
      rules.add({ matchKind: 'regex', pattern: '^a.*b$', renameTo: 'Late match' });
      const hostile = 'a'.repeat(200_000);
      const m = rules.matcher();
      expect(m.match({ payee: hostile, memo: null })).toBeNull();
      // The text is cut to REGEX_TEXT_MAX: a match that needs the 501st character is not seen.
      const late = `${'a'.repeat(REGEX_TEXT_MAX)}b`;
      expect(m.match({ payee: late, memo: null })).toBeNull();
      expect(m.match({ payee: `${'a'.repeat(REGEX_TEXT_MAX - 1)}b`, memo: null })?.renameTo).toBe(
        'Late match',
      );
    } finally {
      fixture.cleanup();
    }
  });

  it('refuses an evil pattern through the service, writing nothing', async () => {
    const fixture = await createLedgerFixture();
    try {
      const rules = new PayeeRuleService(fixture.vault);
      const attempt = fixture.attempt(() =>
        rules.add({ matchKind: 'regex', pattern: '(a+)+$', renameTo: 'Evil' }),
      );
      expect(attempt).toMatchObject({ code: 'INVALID_INPUT', wrote: false });
      expect(attempt.message).toMatch(/exponential time/);
      expect(fixture.vault.db.prepare('SELECT count(*) FROM payee_rules').pluck().get()).toBe(0);
    } finally {
      fixture.cleanup();
    }
  });
});
