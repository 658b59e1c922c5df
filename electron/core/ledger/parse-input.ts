import type { z } from 'zod';
import { CofferError, type ErrorCode } from '../../../shared/errors/coffer-error.js';

/** A date or month field that fails gets the specific code; anything else is INVALID_INPUT. */
function codeFor(field: string | undefined): ErrorCode {
  if (field === 'date' || field === 'from' || field === 'to' || field === 'asOf')
    return 'INVALID_DATE';
  if (field === 'month') return 'INVALID_MONTH';
  return 'INVALID_INPUT';
}

/**
 * Validates caller input (CLI, IPC, importer) and throws a CofferError whose message names
 * the field at fault. `what` is how the input is called in that message ("account").
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String),
    code: issue.code,
    message: issue.message,
  }));
  const first = issues[0];
  const field = first?.path.join('.') ?? '';
  const message =
    first === undefined
      ? `Invalid ${what}`
      : `Invalid ${what}: ${field === '' ? '' : `${field}: `}${first.message}`;
  throw new CofferError(codeFor(first?.path[0]), message, { issues });
}
