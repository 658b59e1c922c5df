import { SessionService } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AuditRepository } from '../storage/audit.repository.js';
import type { Storage } from '../storage/storage.js';
import { LogPruningService } from '../sync/log-pruning.service.js';
import { UNFINISHED_SNAPSHOT_MS } from '../sync/snapshot.service.js';

const DAY_MS = 24 * 60 * 60_000;

/** Audit entries are kept this long, then deleted. */
export const AUDIT_RETENTION_MS = 90 * DAY_MS;
/** The prune job runs at start, then this often. */
export const PRUNE_INTERVAL_MS = DAY_MS;
/** Rows deleted per statement, so requests get the database between batches. */
export const PRUNE_BATCH_SIZE = 5_000;

/** Deletes audit entries older than AUDIT_RETENTION_MS by `clock`; returns how many. */
export async function pruneAuditLog(
  audit: AuditRepository,
  clock: Clock,
  batchSize: number = PRUNE_BATCH_SIZE,
): Promise<number> {
  const cutoff = clock.now() - AUDIT_RETENTION_MS;
  let total = 0;
  for (;;) {
    const deleted = await audit.pruneBefore(cutoff, batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

export interface PruneTask {
  name: string;
  run(): Promise<number>;
}

export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): { unref(): unknown };
  clearInterval(handle: { unref(): unknown }): void;
}

const nodeTimers: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/**
 * Housekeeping at start and then daily: the audit log past its retention, sessions that
 * ended more than 90 days ago (SessionService.pruneEnded), workspace change logs below
 * their newest snapshot as far as their active devices allow (LogPruningService: a device
 * that stopped pulling stops holding the log back only with time), and snapshot uploads
 * abandoned for a day. The timer is unref'd, so it
 * never keeps the process alive; a failing task is logged and the others still run. With
 * `exclusive`, a task another instance on the same database is running is skipped.
 */
export class PruneJob {
  private handle: { unref(): unknown } | null = null;
  private running: Promise<Record<string, number>> | null = null;

  constructor(
    private readonly deps: {
      tasks: readonly PruneTask[];
      /**
       * Runs a task unless another instance on the same database is running it
       * (Storage.runExclusive); without it every task runs.
       */
      exclusive?: Storage['runExclusive'];
      logger: Logger;
      intervalMs?: number;
      timers?: IntervalTimers;
    },
  ) {}

  /** Runs every task once (a run already under way is joined, not doubled). */
  runOnce(): Promise<Record<string, number>> {
    this.running ??= this.runTasks().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs once now, then every interval until `stop`. */
  async start(): Promise<void> {
    if (this.handle !== null) return;
    const timers = this.deps.timers ?? nodeTimers;
    this.handle = timers.setInterval(() => {
      void this.runOnce();
    }, this.deps.intervalMs ?? PRUNE_INTERVAL_MS);
    this.handle.unref();
    await this.runOnce();
  }

  async stop(): Promise<void> {
    if (this.handle !== null) (this.deps.timers ?? nodeTimers).clearInterval(this.handle);
    this.handle = null;
    await this.running;
  }

  private async runTasks(): Promise<Record<string, number>> {
    const pruned: Record<string, number> = {};
    for (const task of this.deps.tasks) {
      try {
        const { exclusive } = this.deps;
        if (exclusive === undefined) {
          pruned[task.name] = await task.run();
          continue;
        }
        const outcome = await exclusive(task.name, () => task.run());
        // Skipped: another instance is doing it right now, so this one leaves it to that.
        if (outcome.ran) pruned[task.name] = outcome.value;
      } catch (error) {
        this.deps.logger.error({ err: error, task: task.name }, 'prune task failed');
      }
    }
    if (Object.values(pruned).some((count) => count > 0)) {
      this.deps.logger.info({ pruned }, 'pruned old records');
    }
    return pruned;
  }
}

/** The server's prune job: audit entries, long-ended sessions, change logs, stale uploads. */
export function createPruneJob(
  deps: { storage: Storage; clock: Clock; logger: Logger },
  options: { timers?: IntervalTimers } = {},
): PruneJob {
  const sessions = new SessionService(deps);
  const changeLogs = new LogPruningService(deps);
  return new PruneJob({
    tasks: [
      { name: 'audit', run: () => pruneAuditLog(deps.storage.audit, deps.clock) },
      { name: 'sessions', run: () => sessions.pruneEnded() },
      { name: 'change-log', run: () => changeLogs.pruneAll() },
      {
        name: 'snapshot-uploads',
        run: () =>
          deps.storage.snapshots.dropUnfinishedBefore(deps.clock.now() - UNFINISHED_SNAPSHOT_MS),
      },
    ],
    exclusive: (name, job) => deps.storage.runExclusive(name, job),
    logger: deps.logger,
    ...(options.timers ? { timers: options.timers } : {}),
  });
}
