/** Wrong passcodes allowed before each further try has to wait. */
export const FREE_ATTEMPTS = 4;
export const FIRST_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

/**
 * How long the next try must wait once `failedAttempts` wrong passcodes are counted: none
 * for the first four; from the fifth, 30 s doubling with each further wrong one (30 s,
 * 1 min, 2 min, 4 min …), at most one hour. Six digits are a million guesses; at this pace
 * a day allows fewer than 40 of them.
 */
export function attemptDelayMs(failedAttempts: number): number {
  if (failedAttempts <= FREE_ATTEMPTS) return 0;
  const doublings = Math.min(failedAttempts - FREE_ATTEMPTS - 1, 20);
  return Math.min(FIRST_DELAY_MS * 2 ** doublings, MAX_DELAY_MS);
}
