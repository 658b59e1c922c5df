import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pad, padmeLength, unpad } from './padme.js';
import { codeOf, errorOf } from './test-fixtures/crypto-test-support.js';

/** The paper's definition, with bit operations on bigints, as a check on padmeLength. */
function reference(length: number): number {
  if (length < 2) return length;
  const l = BigInt(length);
  const e = l.toString(2).length - 1;
  const s = e.toString(2).length;
  const mask = (1n << BigInt(e - s)) - 1n;
  return Number((l + mask) & ~mask);
}

describe('PADMÉ', () => {
  it('rounds lengths as the paper defines', () => {
    expect([0, 1, 2, 3, 9, 100, 300, 1000, 1025, 2 ** 20 + 1].map(padmeLength)).toEqual([
      0, 1, 2, 3, 10, 104, 304, 1024, 1088, 1_081_344,
    ]);
    const mismatches: number[] = [];
    for (let length = 0; length <= 70_000; length++) {
      if (padmeLength(length) !== reference(length)) mismatches.push(length);
    }
    expect(mismatches).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 40 }), (length) => {
        const padded = padmeLength(length);
        expect(padded).toBe(reference(length));
        expect(padded).toBeGreaterThanOrEqual(length);
        expect(padmeLength(padded)).toBe(padded);
        expect((padded - length) / length).toBeLessThanOrEqual(0.12);
      }),
    );
  });

  it('pads to a PADMÉ length and comes off exactly, whatever the data ends with', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const plain = Buffer.from(bytes);
        const padded = pad(plain);
        expect(padded.length).toBe(padmeLength(plain.length + 1));
        expect(unpad(padded).equals(plain)).toBe(true);
      }),
    );
    for (const tricky of [
      Buffer.alloc(0),
      Buffer.from([0x80]),
      Buffer.from([0x80, 0, 0]),
      Buffer.alloc(40),
    ]) {
      expect(unpad(pad(tricky)).equals(tricky)).toBe(true);
    }
  });

  it('refuses padding that pad() does not write', () => {
    const good = pad(Buffer.from('{"amount":1}'));
    const noMarker = Buffer.from(good);
    noMarker.fill(0, good.lastIndexOf(0x80));
    const junkAfter = Buffer.from(good);
    junkAfter[junkAfter.length - 1] = 0x01;
    const wrongLength = Buffer.concat([good, Buffer.alloc(1)]);
    const overlong = Buffer.alloc(padmeLength(400));
    overlong[10] = 0x80; // a marker far earlier than pad() would put it
    for (const bad of [
      noMarker,
      junkAfter,
      wrongLength,
      Buffer.alloc(0),
      Buffer.alloc(64),
      overlong,
    ]) {
      expect(codeOf(() => unpad(bad))).toBe('PADDING_INVALID');
    }
    errorOf(() => padmeLength(-1), 'INTERNAL');
  });
});
