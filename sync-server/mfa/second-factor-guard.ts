import { randomUUID } from 'node:crypto';

import type { Clock } from '../clock.js';
import type { Storage } from '../storage/storage.js';
import { readCounter, updateCounter } from '../storage/update-counter.js';

/** Wrong second-factor answers an account may give in any SECOND_FACTOR_WINDOW_MS. */
export const MAX_SECOND_FACTOR_FAILURES = 10;
export const SECOND_FACTOR_WINDOW_MS = 60 * 60_000;

/** The `second_factor` counter of one account: answers still counting, oldest first. */
interface GuardState {
  attempts: { id: string; at: number }[];
}

export interface Reservation {
  userId: string;
  id: string;
}

export type ReserveResult = { kind: 'reserved'; reservation: Reservation } | LockedResult;

export interface LockedResult {
  kind: 'locked';
  /** When the oldest counted answer leaves the window and one more may be tried. */
  until: number;
}

/**
 * The per-account cap on second-factor guessing: every answer — TOTP,
 * email code, backup code, passkey assertion; at sign-in or step-up; on any challenge —
 * first reserves a place among the account's last MAX_SECOND_FACTOR_FAILURES in the
 * rolling hour, before the answer is looked at. A right answer gives its place back; a
 * wrong one (or one that never finishes) keeps it for the hour. With every place taken,
 * every answer, the right one too, is refused until the oldest place frees.
 *
 * The places live in storage (`counters`, scope `second_factor`, keyed by user id), so
 * they hold across restarts and instances, and each reservation is a compare-and-set, so
 * parallel guesses cannot take more places than there are.
 */
export class SecondFactorGuard {
  constructor(private readonly deps: { storage: Pick<Storage, 'counters'>; clock: Clock }) {}

  async reserve(userId: string): Promise<ReserveResult> {
    const now = this.deps.clock.now();
    return updateCounter<GuardState, ReserveResult>(
      this.deps.storage,
      'second_factor',
      userId,
      now,
      (stored) => {
        const attempts = counting(stored, now);
        const until = lockedUntil(attempts);
        if (until !== null) return { next: null, result: { kind: 'locked', until } };
        const id = randomUUID();
        attempts.push({ id, at: now });
        return {
          next: { state: { attempts }, expiresAt: expiryOf(attempts) },
          result: { kind: 'reserved', reservation: { userId, id } },
        };
      },
    );
  }

  /** Gives a right answer's place back: it does not count. */
  async release(reservation: Reservation): Promise<void> {
    const now = this.deps.clock.now();
    await updateCounter<GuardState, void>(
      this.deps.storage,
      'second_factor',
      reservation.userId,
      now,
      (stored) => {
        const attempts = counting(stored, now);
        const kept = attempts.filter((attempt) => attempt.id !== reservation.id);
        if (kept.length === attempts.length) return { next: null, result: undefined };
        return {
          next: { state: { attempts: kept }, expiresAt: expiryOf(kept) },
          result: undefined,
        };
      },
    );
  }

  /** Until when answers are refused, or null while places are free. */
  async lockedUntil(userId: string): Promise<number | null> {
    const now = this.deps.clock.now();
    const stored = await readCounter<GuardState>(this.deps.storage, 'second_factor', userId, now);
    return lockedUntil(counting(stored, now));
  }
}

function counting(stored: GuardState | null, now: number): GuardState['attempts'] {
  return (stored?.attempts ?? []).filter((attempt) => attempt.at > now - SECOND_FACTOR_WINDOW_MS);
}

function lockedUntil(attempts: GuardState['attempts']): number | null {
  if (attempts.length < MAX_SECOND_FACTOR_FAILURES) return null;
  const oldest = attempts[attempts.length - MAX_SECOND_FACTOR_FAILURES];
  return oldest === undefined ? null : oldest.at + SECOND_FACTOR_WINDOW_MS;
}

function expiryOf(attempts: GuardState['attempts']): number {
  return (
    attempts.reduce((latest, attempt) => Math.max(latest, attempt.at), 0) + SECOND_FACTOR_WINDOW_MS
  );
}
