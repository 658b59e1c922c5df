/**
 * What a screen does when a sensitive call fails for want of a step-up: ask the user to
 * confirm it is them, then try the call again, once. Kept apart from React so the rule is
 * tested on its own.
 */
import { ApiError, isApiError } from '../../../../shared/api/api-error.js';
import type { SecondFactorMethod } from '../../../../shared/api/sync.methods.js';
import type { StepUpInput } from '../../../../shared/api/security.methods.js';

export function isStepUpRequired(error: unknown): boolean {
  return isApiError(error) && error.code === 'STEP_UP_REQUIRED';
}

/** What a guarded call rejects with when the user closed the confirmation instead. */
export function stepUpDeclined(): ApiError {
  return new ApiError({
    code: 'STEP_UP_REQUIRED',
    message: 'Nothing was changed: this change needs you to confirm it is you.',
    details: { declined: true },
  });
}

export function isStepUpDeclined(error: unknown): boolean {
  return isStepUpRequired(error) && (error as ApiError).details?.['declined'] === true;
}

/**
 * Runs `call`; when the server wants a step-up, `ask` shows the confirmation and resolves
 * true once the session is stepped up (false: the user closed it). The call is then made
 * again, once: a second STEP_UP_REQUIRED (the step-up ran out already) is the caller's to
 * show, never a loop of dialogs. Any other failure is passed on untouched.
 */
export async function runWithStepUp<T>(
  call: () => Promise<T>,
  ask: () => Promise<boolean>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isStepUpRequired(error)) throw error;
    if (!(await ask())) throw stepUpDeclined();
    return call();
  }
}

/** The `security.stepUp` input from the dialog's fields: a code only with a chosen method. */
export function stepUpInput(
  values: { password: string; code: string },
  method: SecondFactorMethod | null,
): StepUpInput {
  return method === null
    ? { password: values.password }
    : { password: values.password, method, code: values.code.trim() };
}

/** The dialog field a step-up refusal belongs to; null for the whole dialog (rate limit). */
export function stepUpErrorField(error: unknown): 'password' | 'code' | null {
  if (!isApiError(error)) return null;
  if (error.code === 'SECOND_FACTOR_REQUIRED') return 'code';
  const server = error.details?.['serverCode'];
  if (server === 'INVALID_CREDENTIALS') return 'password';
  if (typeof server === 'string' && /^(INVALID_CODE|CODE_|METHOD_NOT_AVAILABLE)/.test(server)) {
    return 'code';
  }
  const fields = error.fieldErrors();
  if ('password' in fields) return 'password';
  if ('code' in fields || 'method' in fields) return 'code';
  return null;
}
