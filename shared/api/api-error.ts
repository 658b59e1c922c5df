import type { CofferErrorJson, ErrorCode } from '../errors/coffer-error.js';

/**
 * What a `window.coffer` call rejects with when the core refuses it: the same code and
 * message the core's CofferError carried, so a screen can show the message and a test
 * can assert the code. `details.issues` lists field errors for forms.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(error: CofferErrorJson) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.details = error.details;
  }

  /** Field errors from input validation, keyed by dotted path ('' for the whole input). */
  fieldErrors(): Record<string, string> {
    const issues = this.details?.['issues'];
    const out: Record<string, string> = {};
    if (!Array.isArray(issues)) return out;
    for (const issue of issues as { path?: unknown; message?: unknown }[]) {
      if (!Array.isArray(issue.path) || typeof issue.message !== 'string') continue;
      const key = issue.path.map(String).join('.');
      out[key] ??= issue.message;
    }
    return out;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
