import { PruneJob } from '../audit/audit.prune.js';
import type { IntervalTimers } from '../audit/audit.prune.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';
import { CHALLENGE_TTL_MS } from './mfa-gate.js';

/**
 * Short-lived rows go this often: a login challenge lives five minutes, so at most about
 * two generations of dead ones sit in the database at any time.
 */
export const EXPIRY_PRUNE_INTERVAL_MS = CHALLENGE_TTL_MS;
/** Counter rows deleted per statement, so requests get the database between batches. */
const COUNTER_BATCH = 5_000;

/**
 * The server-lifetime housekeeping of rows that expire within minutes or an hour: login
 * and WebAuthn challenges and email codes past their lifetime, and counter rows (login
 * backoff, second-factor cap, owner mails, request rates) that no longer limit anything.
 * Runs at start and then on an unref'd interval (audit.prune.ts's PruneJob) until the
 * server closes. Every deletion is by the injected clock.
 */
export function createExpiryPruneJob(
  deps: {
    storage: Pick<Storage, 'mfa' | 'counters' | 'runExclusive'>;
    clock: Clock;
    logger: Logger;
  },
  options: { timers?: IntervalTimers } = {},
): PruneJob {
  return new PruneJob({
    tasks: [
      { name: 'challenges', run: () => deps.storage.mfa.pruneExpired(deps.clock.now()) },
      { name: 'counters', run: () => pruneCounters(deps.storage, deps.clock.now()) },
    ],
    exclusive: (name, job) => deps.storage.runExclusive(`expiry:${name}`, job),
    logger: deps.logger,
    intervalMs: EXPIRY_PRUNE_INTERVAL_MS,
    ...(options.timers ? { timers: options.timers } : {}),
  });
}

async function pruneCounters(storage: Pick<Storage, 'counters'>, now: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await storage.counters.pruneExpired(now, COUNTER_BATCH);
    total += deleted;
    if (deleted < COUNTER_BATCH) return total;
  }
}
