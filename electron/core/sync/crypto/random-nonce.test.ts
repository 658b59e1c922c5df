import { describe, expect, it } from 'vitest';
import { NONCE_BYTES, randomNonce } from './random-nonce.js';

describe('random nonces', () => {
  it('are 12 bytes, never repeat across pool refills, and are copies the caller may keep', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(randomNonce().toString('hex')); // ~15 refills
    expect(seen.size).toBe(5000);
    const a = randomNonce();
    const copy = Buffer.from(a);
    expect(a.length).toBe(NONCE_BYTES);
    randomNonce().fill(0);
    expect(a.equals(copy)).toBe(true);
  });

  it('look uniform: every byte value turns up about equally often', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 10_000; i++)
      for (const byte of randomNonce()) counts[byte] = (counts[byte] ?? 0) + 1;
    // 120,000 bytes, 469 expected per value; a 7-sigma band keeps this from ever flaking.
    for (const count of counts) expect(Math.abs(count - 469)).toBeLessThan(152);
  });
});
