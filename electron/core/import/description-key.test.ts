import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descriptionKey } from './description-key.js';

/** The definition the fast path must agree with. */
function reference(...texts: (string | null)[]): string {
  return texts
    .flatMap((t) =>
      (t ?? '')
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u),
    )
    .filter((w) => w !== '')
    .sort()
    .join(' ');
}

describe('descriptionKey', () => {
  it('does not depend on case, accents, punctuation, spacing, word order or field', () => {
    expect(descriptionKey('MÜLLER GmbH, Berlin', null)).toBe(
      descriptionKey(null, 'berlin  Muller gmbh'),
    );
    expect(descriptionKey('AMZN Mktp US*2K3', 'Order 114-55')).toBe(
      '114 2k3 55 amzn mktp order us',
    );
  });

  it('keeps different descriptions apart', () => {
    expect(descriptionKey('Coffee 12')).not.toBe(descriptionKey('Coffee 13'));
  });

  it('the ASCII fast path agrees with the Unicode definition on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), fc.string(), (ascii, any) => {
        expect(descriptionKey(ascii, any)).toBe(reference(ascii, any));
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('orders words as the generic sort does, few or many', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'b', 'z', '0', '9', 'é', 'ß', '東'),
      minLength: 1,
    });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), (words) => {
        expect(descriptionKey(words.join(' '))).toBe(reference(words.join(' ')));
      }),
      { numRuns: 500 },
    );
  });
});
