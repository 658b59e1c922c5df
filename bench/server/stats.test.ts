import { describe, expect, it } from 'vitest';
import { formatNoteMs, mean, percentile, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_unused, i) => 100 - i); // 100 … 1, unsorted

  it('is a value some sample really had', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([1.5, 2.5, 3.5], 50)).toBe(2.5);
  });

  it('p99 of fewer than 100 samples is the largest', () => {
    expect(percentile([3, 9, 1, 7], 99)).toBe(9);
  });

  it('refuses no samples and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('gives count, mean, p50, p99 and max', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({
      count: 4,
      meanMs: 2.5,
      p50Ms: 2,
      p99Ms: 4,
      maxMs: 4,
    });
  });

  it('mean refuses no samples', () => {
    expect(() => mean([])).toThrow(RangeError);
  });
});

describe('formatNoteMs', () => {
  it('keeps one decimal under 100 ms', () => {
    expect(formatNoteMs(4.26)).toBe('4.3');
    expect(formatNoteMs(123.6)).toBe('124');
  });
});
