import { HttpError } from '../http/errors.js';
import type { BreachChecker } from './hibp.client.js';
import { checkPassword, normalisePassword, PASSWORD_PROBLEM_MESSAGES } from './password-policy.js';

/**
 * The whole password policy as one async check for register and password change:
 * the offline rules, then (when configured) the HaveIBeenPwned range lookup. Returns the
 * NFKC-normalised password to hash.
 */
export async function enforcePasswordPolicy(
  password: string,
  normalisedEmail: string,
  breachChecker: BreachChecker | null,
): Promise<string> {
  const problem = checkPassword(password, normalisedEmail);
  if (problem !== null) {
    throw new HttpError(400, problem, PASSWORD_PROBLEM_MESSAGES[problem]);
  }
  const normalised = normalisePassword(password);
  // null = the service could not be asked: fail open (the checker logged it).
  if (breachChecker !== null && (await breachChecker.isBreached(normalised)) === true) {
    throw new HttpError(400, 'PASSWORD_BREACHED', PASSWORD_PROBLEM_MESSAGES.PASSWORD_BREACHED);
  }
  return normalised;
}
