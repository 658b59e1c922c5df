import fc from 'fast-check';
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

describe('length-prefixed encoding of any parts', () => {
  it('is each part’s length and bytes, in order (property)', () => {
    const part = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.integer({ min: 0, max: 0xffff_ffff }),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const expected = Buffer.concat(
          parts.flatMap((p) => {
            const bytes =
              typeof p === 'number'
                ? Buffer.from([p >>> 24, (p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff])
                : typeof p === 'string'
                  ? Buffer.from(p, 'utf8')
                  : p;
            const length = Buffer.alloc(4);
            length.writeUInt32BE(bytes.length);
            return [length, bytes];
          }),
        );
        expect(lengthPrefixed(parts).equals(expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
