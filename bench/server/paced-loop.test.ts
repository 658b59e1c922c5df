import { afterEach, describe, expect, it, vi } from 'vitest';
import { dueCount, startPacedLoop } from './paced-loop.js';

describe('dueCount', () => {
  it('counts the firing at 0 and one per whole interval', () => {
    expect(dueCount(0, 50)).toBe(1);
    expect(dueCount(49.9, 50)).toBe(1);
    expect(dueCount(50, 50)).toBe(2);
    expect(dueCount(1000, 50)).toBe(21);
    expect(dueCount(-1, 50)).toBe(0);
    expect(() => dueCount(10, 0)).toThrow(RangeError);
  });
});

describe('startPacedLoop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires on schedule and catches up after a late timer (open loop)', () => {
    vi.useFakeTimers();
    let stall = 0;
    const start = Date.now();
    const now = (): number => Date.now() - start + stall;
    const fired: number[] = [];
    const loop = startPacedLoop(50, (index) => fired.push(index), now);
    expect(fired).toEqual([0]);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([0, 1, 2]);
    // The next timer runs 200 ms late (the process was busy): at 350 ms, every firing due
    // by then (150 … 350) happens at once.
    stall = 200;
    vi.advanceTimersByTime(50);
    expect(fired).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(loop.stop()).toBe(8);
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveLength(8);
  });
});
