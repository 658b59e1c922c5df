import { SNAPSHOT_REFRESH_CHANGES, SNAPSHOT_REFRESH_MS } from '../../../../shared/sync/snapshot.js';

/** The newest snapshot as a pull page or GET latest describes it. */
export interface LatestSnapshot {
  seq: number;
  createdAt: number;
}

/**
 * Whether a device that has pulled the log through `seq` (its outbox empty) should write a
 * snapshot: when there is none, when SNAPSHOT_REFRESH_CHANGES changes were logged after the
 * newest, or when that one is SNAPSHOT_REFRESH_MS old and the log has grown since. An empty
 * log needs none.
 */
export function snapshotDue(latest: LatestSnapshot | null, seq: number, now: number): boolean {
  if (seq <= 0) return false;
  if (latest === null) return true;
  if (seq - latest.seq >= SNAPSHOT_REFRESH_CHANGES) return true;
  return seq > latest.seq && now - latest.createdAt >= SNAPSHOT_REFRESH_MS;
}
