import { tooMany } from '../http/errors.js';
import type { CounterScope } from './counter.repository.js';
import type { Storage } from './storage.js';

export interface CounterChange<S, R> {
  /** The state to store and when it stops limiting anything; null leaves the row alone. */
  next: { state: S; expiresAt: number } | null;
  result: R;
}

/**
 * Read-decide-write on one counter with a typed JSON state (CounterRepository.updateCounter:
 * atomic, a compare-and-set on the row's version, retried after a lost race). `decide`
 * gets null for an absent or expired row and must be pure, since it may run more than once.
 *
 * Gives up with 429 RATE_LIMITED when every round lost a race: a key that busy is a flood.
 */
export async function updateCounter<S, R>(
  storage: Pick<Storage, 'counters'>,
  scope: CounterScope,
  key: string,
  now: number,
  decide: (current: S | null) => CounterChange<S, R>,
): Promise<R> {
  const update = await storage.counters.updateCounter(scope, key, now, (state) => {
    const { next, result } = decide(state === null ? null : (JSON.parse(state) as S));
    return {
      next: next === null ? null : { state: JSON.stringify(next.state), expiresAt: next.expiresAt },
      result,
    };
  });
  if (!update.ok) {
    throw tooMany('RATE_LIMITED', 'Too many attempts at once; try again in a moment.', 1);
  }
  return update.result;
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
