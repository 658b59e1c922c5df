import { describe, expect, it } from 'vitest';
import { frameIntervals, percentile } from './frame-stats.js';

describe('frameIntervals', () => {
  it('gives the gap between consecutive frames', () => {
    expect(frameIntervals([100, 116.5, 133, 183])).toEqual([16.5, 16.5, 50]);
  });

  it('gives nothing for fewer than two frames', () => {
    expect(frameIntervals([])).toEqual([]);
    expect(frameIntervals([42])).toEqual([]);
  });

  it('refuses timestamps that go back in time', () => {
    expect(() => frameIntervals([10, 30, 20])).toThrow(/frame 2/);
  });
});

describe('percentile', () => {
  it('takes the nearest rank, whatever the order of the values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
  });

  it('lets one slow frame in twenty through, but not two', () => {
    const oneSlow = [...Array.from({ length: 19 }, () => 16.7), 80];
    expect(percentile(oneSlow, 95)).toBe(16.7);
    const twoSlow = [...Array.from({ length: 18 }, () => 16.7), 80, 90];
    expect(percentile(twoSlow, 95)).toBe(80);
  });

  it('is the value itself for one value', () => {
    expect(percentile([33], 95)).toBe(33);
  });

  it('refuses no values and a percentile outside (0, 100]', () => {
    expect(() => percentile([], 95)).toThrow(RangeError);
    expect(() => percentile([1, 2], 0)).toThrow(RangeError);
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
  });
});
