import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { formatHlc } from '../../../../shared/hlc/hlc.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { MAX_PUSH_ACKS, PushAckLog, type PushAck } from './push-ack-log.js';

let temp: TempVault;
let log: PushAckLog;

beforeEach(async () => {
  temp = await createTempVault();
  log = new PushAckLog(temp.vault.db);
});
afterEach(() => temp.cleanup());

const hlc = (ms: number): string =>
  formatHlc({ wallMs: 1_735_689_600_000 + ms, counter: 0, deviceId: 'laptop' });

/** Push n of epoch `epoch`: seqs 10n+1..10n+10, HLCs n*1000 .. n*1000+9. */
function push(epoch: string, n: number): PushAck {
  return {
    epoch,
    firstSeq: 10 * n + 1,
    lastSeq: 10 * n + 10,
    lastChangeId: `change-${epoch}-${n}`,
    minHlc: hlc(n * 1000),
    maxHlc: hlc(n * 1000 + 9),
    ackedAt: n,
  };
}

function record(ack: PushAck): void {
  temp.vault.transaction(() => log.record(ack));
}

describe('PushAckLog', () => {
  it('after a restore, names the oldest HLC of the pushes whose last change the restored log lacks', () => {
    for (let n = 0; n < 5; n++) record(push('old', n));
    // The restored log holds pushes 0..2 (a backup is a prefix of the log).
    log.markSurvivors('new', ['change-old-0', 'change-old-1', 'change-old-2', 'someone-else']);
    expect(log.hasStale('new')).toBe(true);
    expect(log.lostFrom('new')).toBe(hlc(3000));
    log.dropStale('new');
    expect(log.hasStale('new')).toBe(false);
    expect(log.lostFrom('new')).toBeNull();
  });

  it('says nothing was lost when every push survived, and never counts the current epoch as stale', () => {
    record(push('old', 0));
    record(push('new', 1));
    log.markSurvivors('new', ['change-old-0']);
    expect(log.lostFrom('new')).toBeNull();
    expect(log.hasStale('new')).toBe(true);
    log.dropStale('new');
    expect(log.all().map((a) => a.epoch)).toEqual(['new']);
  });

  it(`stays at most ${MAX_PUSH_ACKS} entries, and a restore into thinned history still re-pushes every lost change`, () => {
    const total = MAX_PUSH_ACKS * 4;
    temp.vault.transaction(() => {
      for (let n = 0; n < total; n++) log.record(push('old', n));
    });
    const kept = log.all();
    expect(kept.length).toBeLessThanOrEqual(MAX_PUSH_ACKS);
    expect(kept.length).toBeGreaterThan(MAX_PUSH_ACKS / 2);
    // Recent history stays exact; every seq stays covered by one entry.
    expect(kept.at(-1)).toEqual(push('old', total - 1));
    let next = 1;
    for (const ack of kept) {
      expect(ack.firstSeq).toBe(next);
      next = ack.lastSeq + 1;
    }
    expect(next).toBe(10 * total + 1);

    // Restored to just after push 100: whatever entry holds push 101 must count as lost.
    const survivors = Array.from({ length: 101 }, (_, n) => `change-old-${n}`);
    log.markSurvivors('new', survivors);
    const from = log.lostFrom('new');
    expect(from).not.toBeNull();
    expect(from! <= hlc(101 * 1000)).toBe(true);
  });
});
