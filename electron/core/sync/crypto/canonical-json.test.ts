import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { codeOf } from './test-fixtures/crypto-test-support.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, so insertion order does not change the bytes', () => {
    const a = { b: 1, a: { y: [1, { d: 2, c: 3 }], x: 'é' }, n: null };
    const b = { n: null, a: { x: 'é', y: [1, { c: 3, d: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"é","y":[1,{"c":3,"d":2}]},"b":1,"n":null}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(JSON.parse(canonicalJson(a))).toEqual(a);
  });

  it('leaves out undefined properties as JSON does, and writes undefined in arrays as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('refuses what JSON cannot carry back unchanged', () => {
    for (const bad of [
      Number.NaN,
      Infinity,
      10n,
      new Date(0),
      Buffer.from('x'),
      () => 1,
      Symbol('s'),
    ]) {
      expect(codeOf(() => canonicalJson({ field: bad }))).toBe('INVALID_INPUT');
    }
  });
});
