import { afterEach, describe, expect, it, vi } from 'vitest';
import { UUID_PATTERN, uuidv7 } from './uuidv7.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('uuidv7', () => {
  it('has the RFC 9562 layout: 48-bit ms timestamp, version 7, variant 10', () => {
    const ms = 0x0197_7420_dc05;
    const id = uuidv7(ms);
    expect(id).toMatch(UUID_PATTERN);
    expect(id.replace(/-/g, '').slice(0, 12)).toBe(ms.toString(16).padStart(12, '0'));
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('keeps the low 48 bits of the timestamp, as before pooling', () => {
    expect(uuidv7(0).startsWith('00000000-0000-7')).toBe(true);
    expect(uuidv7(2 ** 48 + 5).startsWith('00000000-0005-7')).toBe(true);
    expect(uuidv7(1234.9).startsWith('00000000-04d2-7')).toBe(true);
  });

  it('sorts by creation time', () => {
    const ids = [1, 2, 1000, 2 ** 40].map((ms) => uuidv7(1_750_000_000_000 + ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('never repeats within one millisecond, across many refills of the random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) ids.add(uuidv7(1_750_000_000_000));
    expect(ids.size).toBe(20_000);
  });

  it('draws random bytes in blocks rather than once per id', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    for (let i = 0; i < 4_000; i++) uuidv7();
    // 10 random bytes per id from a 4 KiB pool: about one refill per 409 ids.
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(11);
  });

  it('spreads the random bits: every hex digit appears in every random position', () => {
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) {
      const hex = uuidv7(0).replace(/-/g, '');
      for (let p = 0; p < 32; p++) seen[p]?.add(hex[p] as string);
    }
    // After the 12 timestamp digits: digit 12 is the version (7), digit 16 holds the
    // variant bits (8-b), every other digit is random.
    const random = [...Array(32).keys()].filter((p) => p > 12 && p !== 16);
    for (const p of random) expect(seen[p]?.size, `position ${p}`).toBe(16);
    expect(seen[12]).toEqual(new Set(['7']));
    expect(seen[16]).toEqual(new Set(['8', '9', 'a', 'b']));
  });
});
