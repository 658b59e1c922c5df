import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import {
  assertFieldNames,
  decodeFieldClocks,
  encodeFieldClocks,
  encodeSingleClock,
} from './field-clocks.js';

const H1 = '001750000000000:000000:dev-a';
const H2 = '001750000000001:000003:dev-a';

describe('field clocks encoding', () => {
  it('writes a freshly inserted record as one HLC over all its fields', () => {
    const text = encodeSingleClock(['name', 'amountMinor', 'splits'], H1);
    expect(JSON.parse(text)).toEqual({ [H1]: 'name amountMinor splits' });
    expect(decodeFieldClocks(text)).toEqual(
      new Map([
        ['name', H1],
        ['amountMinor', H1],
        ['splits', H1],
      ]),
    );
  });

  it('groups fields by HLC and round-trips', () => {
    const clocks = new Map([
      ['name', H1],
      ['email', H2],
      ['notes', H1],
    ]);
    const text = encodeFieldClocks(clocks);
    expect(JSON.parse(text)).toEqual({ [H1]: 'name notes', [H2]: 'email' });
    expect(decodeFieldClocks(text)).toEqual(clocks);
  });

  it('accepts contract field names and refuses others', () => {
    expect(() => assertFieldNames(['name', 'amountMinor', 'line_2'])).not.toThrow();
    for (const bad of ['a b', 'x-y', '_private', '', 'a'.repeat(65)]) {
      let code: string | undefined;
      try {
        assertFieldNames([bad]);
      } catch (error) {
        code = isCofferError(error) ? error.code : undefined;
      }
      expect(code, bad).toBe('INTERNAL');
    }
  });
});
