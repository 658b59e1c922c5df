import { describe, expect, it } from 'vitest';
import { lengthPrefixed } from './length-prefixed.js';
import { codeOf } from './test-fixtures/crypto-test-support.js';

describe('length-prefixed encoding', () => {
  it('writes each part as a 4-byte length and its bytes', () => {
    expect(lengthPrefixed(['ab', 7, Buffer.from([0xff])]).toString('hex')).toBe(
      '00000002' + '6162' + '00000004' + '00000007' + '00000001' + 'ff',
    );
  });

  it('keeps apart tuples that a "|" join would run together', () => {
    expect(['a|b', 'c'].join('|')).toBe(['a', 'b|c'].join('|'));
    expect(lengthPrefixed(['a|b', 'c']).equals(lengthPrefixed(['a', 'b|c']))).toBe(false);
    expect(lengthPrefixed(['ab', '']).equals(lengthPrefixed(['a', 'b']))).toBe(false);
  });

  it('refuses numbers it cannot write in 32 bits', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(codeOf(() => lengthPrefixed([bad]))).toBe('INTERNAL');
    }
  });
});
