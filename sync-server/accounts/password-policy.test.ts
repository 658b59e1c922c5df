import { describe, expect, it } from 'vitest';

import {
  checkPassword,
  codePointLength,
  emailDerivedWords,
  isCommonPassword,
  PASSWORD_MAX_LENGTH,
} from './password-policy.js';

const EMAIL = 'ann.lindqvist@example.com';

describe('checkPassword', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(checkPassword('correct horse battery staple', EMAIL)).toBeNull();
    expect(checkPassword('alllowercaseletters', EMAIL)).toBeNull();
  });

  it('rejects fewer than 12 code points and accepts exactly 12', () => {
    expect(checkPassword('short pass!', EMAIL)).toBe('PASSWORD_TOO_SHORT');
    expect(checkPassword('', EMAIL)).toBe('PASSWORD_TOO_SHORT');
    expect(checkPassword('tr4ck-bell-z', EMAIL)).toBeNull();
  });

  it('counts code points, not UTF-16 units: 11 emoji are too short', () => {
    const emoji = '🔒'.repeat(11);
    expect(emoji.length).toBe(22);
    expect(checkPassword(emoji, EMAIL)).toBe('PASSWORD_TOO_SHORT');
    expect(checkPassword('🔒🗝️🔑🚪🏠🌲🌊🔥🌙⭐🍀🎲', EMAIL)).toBeNull();
  });

  it('measures after NFKC normalisation', () => {
    // U+FB01 "ﬁ" is one code point that NFKC turns into "fi" (two).
    const raw = 'ﬁ'.repeat(6);
    expect(codePointLength(raw)).toBe(6);
    expect(checkPassword(raw, EMAIL)).not.toBe('PASSWORD_TOO_SHORT');
  });

  it('rejects more than 1024 code points and accepts 1024', () => {
    const ok = 'abcdefghij klmnopqrstuvwxyz'.repeat(40).slice(0, PASSWORD_MAX_LENGTH);
    expect(checkPassword(ok, EMAIL)).toBeNull();
    expect(checkPassword(`${ok}x`, EMAIL)).toBe('PASSWORD_TOO_LONG');
  });

  it('rejects entries of the offline common list, in any case', () => {
    expect(checkPassword('1qaz2wsx3edc', EMAIL)).toBe('PASSWORD_TOO_COMMON');
    expect(checkPassword('QWERTY123456', EMAIL)).toBe('PASSWORD_TOO_COMMON');
    expect(checkPassword('passwordpassword', EMAIL)).toBe('PASSWORD_TOO_COMMON');
    expect(checkPassword('aaaaaaaaaaaaaaaa', EMAIL)).toBe('PASSWORD_TOO_COMMON');
  });

  it('rejects passwords that contain the email local part or its pieces', () => {
    expect(checkPassword('my-Ann.Lindqvist-secret', EMAIL)).toBe('PASSWORD_CONTAINS_EMAIL');
    expect(checkPassword('lindqvist rules the world', EMAIL)).toBe('PASSWORD_CONTAINS_EMAIL');
    // "ann" alone is under the piece minimum: not every "ann" is banned.
    expect(checkPassword('annual report season', EMAIL)).toBeNull();
  });

  it('ignores local parts shorter than three characters', () => {
    expect(checkPassword('jojo the juggling clown', 'jo@example.com')).toBeNull();
    expect(checkPassword('bobby tables forever', 'bob@example.com')).toBe(
      'PASSWORD_CONTAINS_EMAIL',
    );
  });
});

describe('emailDerivedWords', () => {
  it('lists the local part and its separated pieces', () => {
    expect(emailDerivedWords('ann.lindqvist+coffer@example.com').sort()).toEqual(
      ['ann.lindqvist+coffer', 'coffer', 'lindqvist'].sort(),
    );
  });
});

describe('isCommonPassword', () => {
  it('does not flag a random passphrase', () => {
    expect(isCommonPassword('violet-anchor-meadow-42')).toBe(false);
  });
});
