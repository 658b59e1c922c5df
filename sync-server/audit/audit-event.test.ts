import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { cleanErrorCode, escapeText, outcomeOf } from './audit-event.js';

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const UNSAFE_RAW = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Inverse of escapeText (for strings under the length limit), to prove nothing is lost. */
function unescape(text: string): string {
  return text.replace(/\\(\\|n|r|t|u[0-9a-f]{4})/g, (_, what: string) => {
    if (what === '\\') return '\\';
    if (what === 'n') return '\n';
    if (what === 'r') return '\r';
    if (what === 't') return '\t';
    return String.fromCharCode(Number.parseInt(what.slice(1), 16));
  });
}

describe('escapeText', () => {
  it('writes line breaks, ANSI escapes and other controls as visible escapes', () => {
    expect(escapeText('a\nb\rc\td', 100)).toBe('a\\nb\\rc\\td');
    expect(escapeText('\u001b[31mred\u001b[0m', 100)).toBe('\\u001b[31mred\\u001b[0m');
    expect(escapeText('nul\u0000del\u007fcsi\u009b', 100)).toBe('nul\\u0000del\\u007fcsi\\u009b');
    expect(escapeText('line\u2028para\u2029', 100)).toBe('line\\u2028para\\u2029');
    expect(escapeText('abc\u202eevil\u2066', 100)).toBe('abc\\u202eevil\\u2066');
  });

  it('escapes a backslash, so text that says \\n cannot pose as an escaped newline', () => {
    expect(escapeText('a\\nb', 100)).toBe('a\\\\nb');
    expect(escapeText('a\\nb', 100)).not.toBe(escapeText('a\nb', 100));
  });

  it('keeps ordinary text, including emoji and accents, as it is', () => {
    expect(escapeText('Ann’s MacBook Pro — café 🍩', 100)).toBe('Ann’s MacBook Pro — café 🍩');
  });

  it('escapes lone surrogates and keeps pairs', () => {
    expect(escapeText('x\ud800y', 100)).toBe('x\\ud800y');
    expect(escapeText('x\udc00', 100)).toBe('x\\udc00');
    expect(escapeText('\ud83c\udf69', 100)).toBe('🍩');
  });

  it('cuts long text and marks the cut', () => {
    expect(escapeText('abcdef', 3)).toBe('abc…');
    expect(escapeText('\n'.repeat(10), 2)).toBe('\\n\\n…');
  });

  it('turns anything but a string into null', () => {
    expect(escapeText(undefined, 10)).toBeNull();
    expect(escapeText(42, 10)).toBeNull();
    expect(escapeText({ toString: () => 'x' }, 10)).toBeNull();
  });

  it('always yields one line without raw control characters, and loses nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const escaped = escapeText(text, 1_000) ?? '';
        expect(escaped).not.toMatch(UNSAFE_RAW);
        expect(escaped).not.toMatch(LONE_SURROGATE);
        expect(unescape(escaped)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cleanErrorCode', () => {
  it('keeps SNAKE_CASE codes only', () => {
    expect(cleanErrorCode('INVALID_CREDENTIALS')).toBe('INVALID_CREDENTIALS');
    expect(cleanErrorCode('bad\ncode')).toBeNull();
    expect(cleanErrorCode('A'.repeat(65))).toBeNull();
    expect(cleanErrorCode(null)).toBeNull();
  });
});

describe('outcomeOf', () => {
  it('names how a request ended', () => {
    expect(outcomeOf(200, false)).toBe('success');
    expect(outcomeOf(204, false)).toBe('success');
    expect(outcomeOf(200, true)).toBe('mfa_required');
    expect(outcomeOf(401, false)).toBe('failure');
    expect(outcomeOf(429, false)).toBe('rate_limited');
    expect(outcomeOf(500, false)).toBe('error');
  });
});
