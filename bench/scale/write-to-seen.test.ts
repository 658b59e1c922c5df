import { describe, expect, it } from 'vitest';
import { writeToSeen } from './write-to-seen.js';

describe('writeToSeen', () => {
  it('times each other device’s first announcement of the push’s seq, not the writer’s own', () => {
    const result = writeToSeen(
      [{ workspace: 0, device: 0, seq: 5, sentAt: 100 }],
      [
        { workspace: 0, device: 0, seq: 5, at: 101 },
        { workspace: 0, device: 1, seq: 5, at: 110 },
        { workspace: 0, device: 2, seq: 5, at: 130 },
        { workspace: 0, device: 2, seq: 5, at: 150 },
      ],
      3,
    );
    expect(result).toEqual({ latencies: [10, 30], missing: 0 });
  });

  it('counts a later seq as seeing an earlier push, and an older or other workspace’s seq as not', () => {
    const result = writeToSeen(
      [
        { workspace: 1, device: 0, seq: 7, sentAt: 200 },
        { workspace: 1, device: 0, seq: 8, sentAt: 205 },
      ],
      [
        { workspace: 1, device: 1, seq: 6, at: 190 },
        { workspace: 2, device: 1, seq: 9, at: 201 },
        { workspace: 1, device: 1, seq: 8, at: 240 },
      ],
      2,
    );
    expect(result).toEqual({ latencies: [40, 35], missing: 0 });
  });

  it('reports the devices that never heard of a push as missing', () => {
    const result = writeToSeen(
      [{ workspace: 0, device: 1, seq: 3, sentAt: 10 }],
      [{ workspace: 0, device: 0, seq: 3, at: 20 }],
      3,
    );
    expect(result).toEqual({ latencies: [10], missing: 1 });
  });
});
