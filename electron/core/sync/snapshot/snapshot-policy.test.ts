import { describe, expect, it } from 'vitest';
import { SNAPSHOT_REFRESH_CHANGES, SNAPSHOT_REFRESH_MS } from '../../../../shared/sync/snapshot.js';
import { snapshotDue } from './snapshot-policy.js';

const NOW = Date.UTC(2026, 5, 1, 12);

describe('snapshotDue: when an admin device writes a snapshot', () => {
  it('writes the first one once the log holds anything', () => {
    expect(snapshotDue(null, 1, NOW)).toBe(true);
    expect(snapshotDue(null, 0, NOW)).toBe(false);
  });

  it(`refreshes after ${SNAPSHOT_REFRESH_CHANGES} changes, not one fewer`, () => {
    const latest = { seq: 500, createdAt: NOW - 1_000 };
    expect(snapshotDue(latest, 500 + SNAPSHOT_REFRESH_CHANGES - 1, NOW)).toBe(false);
    expect(snapshotDue(latest, 500 + SNAPSHOT_REFRESH_CHANGES, NOW)).toBe(true);
  });

  it('refreshes a day-old snapshot only when the log has grown since', () => {
    const old = { seq: 500, createdAt: NOW - SNAPSHOT_REFRESH_MS };
    expect(snapshotDue(old, 501, NOW)).toBe(true);
    expect(snapshotDue(old, 500, NOW)).toBe(false);
    const younger = { seq: 500, createdAt: NOW - SNAPSHOT_REFRESH_MS + 1 };
    expect(snapshotDue(younger, 501, NOW)).toBe(false);
  });
});
