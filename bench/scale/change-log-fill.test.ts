import { describe, expect, it } from 'vitest';
import { fillChunks } from './change-log-fill.js';

describe('fillChunks', () => {
  it('covers seqs 1 to changes once, in order, the last chunk short', () => {
    expect(fillChunks(250_001, 100_000)).toEqual([
      { from: 1, to: 100_000 },
      { from: 100_001, to: 200_000 },
      { from: 200_001, to: 250_001 },
    ]);
  });

  it('makes one chunk when the changes fit', () => {
    expect(fillChunks(7, 100_000)).toEqual([{ from: 1, to: 7 }]);
  });

  it('refuses no changes and a chunk that is not a whole number of at least one', () => {
    expect(() => fillChunks(0, 10)).toThrow(RangeError);
    expect(() => fillChunks(10, 0)).toThrow(RangeError);
    expect(() => fillChunks(10, 2.5)).toThrow(RangeError);
  });
});
