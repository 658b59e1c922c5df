import { describe, expect, it } from 'vitest';

import { memoryIo } from '../testing/memory-io.js';
import { stderrProgress } from './sync-progress.js';

const step = (pushed: number) => ({ pushed, pulled: 0, applied: 0, seq: 0 });

describe('coffer sync progress on stderr', () => {
  it('says nothing for the first two seconds, then at most once a second', () => {
    let now = 0;
    const io = memoryIo();
    io.now = () => now;
    const report = stderrProgress(io, false, 12_000);
    for (now = 0; now < 2_000; now += 250) report(step(now));
    expect(io.err).toBe('');
    for (now = 2_000; now <= 4_000; now += 250) report(step(now));
    expect(io.err.trimEnd().split('\n')).toEqual([
      'coffer: sync: pushed 2000 of 12000, pulled 0, applied 0 (seq 0)',
      'coffer: sync: pushed 3000 of 12000, pulled 0, applied 0 (seq 0)',
      'coffer: sync: pushed 4000 of 12000, pulled 0, applied 0 (seq 0)',
    ]);
    expect(io.out).toBe('');
  });

  it('with --json, one JSON object a line', () => {
    let now = 0;
    const io = memoryIo();
    io.now = () => now;
    const report = stderrProgress(io, true, 5);
    now = 2_500;
    report({ pushed: 5, pulled: 700, applied: 650, seq: 700 });
    expect(JSON.parse(io.err)).toEqual({
      progress: { pushed: 5, pulled: 700, applied: 650, seq: 700, toPush: 5 },
    });
  });
});
