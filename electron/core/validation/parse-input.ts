import type * as z from 'zod';
import { CofferError, type ErrorCode } from '../../../shared/errors/coffer-error.js';

const DATE_FIELDS = new Set(['validUntil', 'from', 'to', 'asOf']);

/**
 * The code a failing field earns: dates, months, currencies and amounts get their specific
 * code so scripts can tell "bad date" from "bad amount"; anything else is INVALID_INPUT.
 */
function codeFor(path: readonly string[], issueCode: string): ErrorCode {
  const field = path.findLast((segment) => !/^\d+$/.test(segment)) ?? '';
  if (field === 'contentBase64' && issueCode === 'too_big') return 'FILE_TOO_LARGE';
  if (/date$/i.test(field) || DATE_FIELDS.has(field)) return 'INVALID_DATE';
  if (/month$/i.test(field)) return 'INVALID_MONTH';
  if (/currency$/i.test(field)) return 'UNKNOWN_CURRENCY';
  if (/Minor$/.test(field)) return 'INVALID_AMOUNT';
  if (field === 'locale') return 'INVALID_LOCALE';
  return 'INVALID_INPUT';
}

/**
 * Validates caller input (CLI, IPC, importer) and throws a CofferError whose message names the
 * field at fault, e.g. `Invalid invoice: lines.0.quantityMilli: must be greater than zero`.
 * `what` is how the input is called in that message.
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
  if (first === undefined) throw new CofferError('INVALID_INPUT', `Invalid ${what}`);
  const field = first.path.join('.');
  throw new CofferError(
    codeFor(first.path, first.code),
    `Invalid ${what}: ${field === '' ? '' : `${field}: `}${first.message}`,
    {
      issues,
    },
  );
}
