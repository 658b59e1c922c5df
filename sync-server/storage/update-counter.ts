import { tooMany } from '../http/errors.js';
import type { CounterScope } from './counter.repository.js';
import type { Storage } from './storage.js';

export interface CounterChange<S, R> {
  /** The state to store and when it stops limiting anything; null leaves the row alone. */
  next: { state: S; expiresAt: number } | null;
  result: R;
}

/** Lost compare-and-set races before giving up; only a flood on one key loses this often. */
const MAX_ROUNDS = 8;

/**
 * Read-decide-write on one counter: reads it (an expired row reads as null), lets `decide`
 * compute the next state, and stores it only if nobody wrote in between (compare-and-set on
 * the version); after a lost race it reads again. `decide` must be pure, since it may run
 * more than once. Each round runs in a storage transaction, which on SQLite also keeps other
 * requests out, so races are only ever lost on a shared database.
 *
 * Gives up with 429 RATE_LIMITED after MAX_ROUNDS lost races: a key that busy is a flood.
 */
export async function updateCounter<S, R>(
  storage: Pick<Storage, 'counters' | 'transaction'>,
  scope: CounterScope,
  key: string,
  now: number,
  decide: (current: S | null) => CounterChange<S, R>,
): Promise<R> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const outcome = await storage.transaction(async () => {
      const row = await storage.counters.getCounter(scope, key);
      const current = row === null || row.expiresAt <= now ? null : (JSON.parse(row.state) as S);
      const { next, result } = decide(current);
      if (next === null) return { result };
      const stored = await storage.counters.putCounter(
        scope,
        key,
        row?.version ?? null,
        JSON.stringify(next.state),
        next.expiresAt,
      );
      return stored ? { result } : null;
    });
    if (outcome !== null) return outcome.result;
  }
  throw tooMany('RATE_LIMITED', 'Too many attempts at once; try again in a moment.', 1);
}

/** The counter's current state (null when absent or expired), for reads that decide nothing. */
export async function readCounter<S>(
  storage: Pick<Storage, 'counters'>,
  scope: CounterScope,
  key: string,
  now: number,
): Promise<S | null> {
  const row = await storage.counters.getCounter(scope, key);
  return row === null || row.expiresAt <= now ? null : (JSON.parse(row.state) as S);
}
