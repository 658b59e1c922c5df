import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/storage.js';

const DAY_MS = 24 * 60 * 60_000;

/** A device that has not pulled for this long no longer holds the log back. */
export const ACTIVE_DEVICE_MS = 30 * DAY_MS;
/** Change rows deleted per statement, so requests get the database between batches. */
export const LOG_PRUNE_BATCH = 5_000;

/**
 * Prunes a workspace's change log (docs/sync-merge.md, "Snapshots and bootstrap", On the
 * server). The horizon is the lower of the newest complete snapshot's seq and the lowest
 * `after` among the workspace's active devices: a device that is behind keeps the changes
 * it still needs, and no change is deleted that the newest snapshot does not hold. An
 * active device is a session that is neither revoked nor expired, of a user who is still a
 * member, that pulled in the last ACTIVE_DEVICE_MS. A session that never pulled is not one:
 * it starts from the snapshot anyway.
 */
export class LogPruningService {
  constructor(private readonly deps: { storage: Storage; clock: Clock }) {}

  /** The seq through which the workspace's log may be pruned now; 0 without a snapshot. */
  async horizon(workspaceId: string): Promise<number> {
    const newest = await this.deps.storage.snapshots.newest(workspaceId);
    if (newest === null) return 0;
    const now = this.deps.clock.now();
    const floor = await this.deps.storage.logPruning.activeFloor(workspaceId, {
      now,
      pulledSince: now - ACTIVE_DEVICE_MS,
      idleMs: SESSION_IDLE_MS,
      absoluteMs: SESSION_ABSOLUTE_MS,
    });
    return floor === null ? newest.seq : Math.min(newest.seq, floor);
  }

  /**
   * Prunes the workspace through its horizon in batches; returns how many changes went.
   * The mark is raised before the first row goes, so a pull running in between answers
   * 410 rather than a page with a hole.
   */
  async pruneWorkspace(workspaceId: string, batchSize = LOG_PRUNE_BATCH): Promise<number> {
    const { logPruning } = this.deps.storage;
    const horizon = await this.horizon(workspaceId);
    const marked = await logPruning.prunedThrough(workspaceId);
    if (horizon > marked) await logPruning.markPruned(workspaceId, horizon, this.deps.clock.now());
    // Below the mark rows are gone or going: a run cut short is finished here.
    const through = Math.max(horizon, marked);
    if (through === 0) return 0;
    let total = 0;
    for (;;) {
      const deleted = await logPruning.deleteChangesThrough(workspaceId, through, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  /** Every workspace whose newest snapshot lies above its pruned mark; returns changes deleted. */
  async pruneAll(batchSize = LOG_PRUNE_BATCH): Promise<number> {
    let total = 0;
    for (const workspaceId of await this.deps.storage.logPruning.pruneCandidates()) {
      total += await this.pruneWorkspace(workspaceId, batchSize);
    }
    return total;
  }
}
