import { describe, expect, it } from 'vitest';
import { measureInterleaved, median, rotation } from './timing.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses no values', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('rotation', () => {
  it('puts each contender first in turn', () => {
    expect(rotation(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotation(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotation(['a', 'b', 'c'], 2)).toEqual(['c', 'a', 'b']);
    expect(rotation(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
  });
});

describe('measureInterleaved', () => {
  it('runs warm-ups untimed, then interleaves the timed runs and keeps each contender apart', async () => {
    const calls: string[] = [];
    const seen: string[] = [];
    const contender = (key: string) => ({
      key,
      prepare: (round: number) => {
        calls.push(`prepare ${key} ${round}`);
        return key;
      },
      run: (context: string) => {
        calls.push(`run ${context}`);
      },
      cleanup: (context: string) => {
        calls.push(`cleanup ${context}`);
      },
    });
    const result = await measureInterleaved([contender('a'), contender('b')], {
      warmup: 1,
      runs: 3,
      onRun: (key, round) => seen.push(`${key}${round}`),
    });
    expect(calls.filter((c) => c.startsWith('run'))).toEqual([
      'run a',
      'run b', // warm-up, round 0
      'run b',
      'run a', // round 1
      'run a',
      'run b', // round 2
      'run b',
      'run a', // round 3
    ]);
    expect(calls.slice(0, 3)).toEqual(['prepare a 0', 'run a', 'cleanup a']);
    expect(calls.filter((c) => c.startsWith('prepare b'))).toEqual([
      'prepare b 0',
      'prepare b 1',
      'prepare b 2',
      'prepare b 3',
    ]);
    expect(seen).toEqual(['b0', 'a0', 'a1', 'b1', 'b2', 'a2']);
    expect(result.get('a')?.samplesMs).toHaveLength(3);
    expect(result.get('b')?.samplesMs).toHaveLength(3);
    for (const measurement of result.values()) {
      expect(measurement.medianMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('cleans up even when a run fails', async () => {
    let cleaned = false;
    await expect(
      measureInterleaved(
        [
          {
            key: 'x',
            run: () => {
              throw new Error('boom');
            },
            cleanup: () => {
              cleaned = true;
            },
          },
        ],
        { warmup: 0, runs: 1 },
      ),
    ).rejects.toThrow('boom');
    expect(cleaned).toBe(true);
  });
});
