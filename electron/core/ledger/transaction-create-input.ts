import {
  TransactionCreateInputSchema,
  type TransactionCreateData,
  type TransactionCreateInput,
} from '../../../shared/domain/ledger.schema.js';
import { isIsoDate } from '../../../shared/dates/iso-date.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { isCurrencyCode } from '../../../shared/money/currency.js';
import { parseInput } from '../validation/parse-input.js';

/**
 * Validates one transaction to create: `TransactionCreateInputSchema`, with a shortcut for
 * the bulk path (imports write 100k rows; zod was a tenth of that work). An input already
 * in the schema's canonical form — known keys, no undefined values, strings already
 * trimmed, no splits — is checked here against the same rules and copied with the
 * schema's defaults; anything else (a split, text to trim, any failing check) goes through
 * the schema itself, so every refusal keeps the schema's own code and message. The
 * shortcut only ever accepts what the schema accepts, with the same result
 * (transaction-create-input.test.ts compares them).
 */
export function parseTransactionCreateInput(input: TransactionCreateInput): TransactionCreateData {
  return (
    canonicalCreateData(input) ?? parseInput(TransactionCreateInputSchema, input, 'transaction')
  );
}

const KEYS = new Set([
  'accountId',
  'date',
  'amountMinor',
  'currency',
  'payeeId',
  'payeeName',
  'categoryId',
  'notes',
  'importId',
  'importKey',
  'splits',
]);
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const MAX_REF = 200;
const MAX_NAME = 200;
const MAX_NOTES = 10_000;
const MAX_IMPORT_ID = 255;

/** The shortcut alone: the schema's result for a canonical input, else null (exported for its test). */
export function canonicalCreateData(input: unknown): TransactionCreateData | null {
  if (typeof input !== 'object' || input === null) return null;
  if (Object.getPrototypeOf(input) !== Object.prototype) return null;
  const v = input as Record<string, unknown>;
  const keys = Object.keys(v);
  if (Object.getOwnPropertySymbols(v).length > 0) return null;
  for (const key of keys) {
    if (!KEYS.has(key) || v[key] === undefined) return null;
  }
  const { payeeId, payeeName, categoryId, importId, importKey, notes, splits } = v;
  if (!isTrimmedText(v.accountId, MAX_REF)) return null;
  if (v.date !== lastIsoDate) {
    if (!isIsoDate(v.date)) return null;
    lastIsoDate = v.date;
  }
  if (!Number.isSafeInteger(v.amountMinor)) return null;
  if ('currency' in v && !isCurrencyCode(v.currency)) return null;
  if (payeeId != null && !(typeof payeeId === 'string' && UUID_PATTERN.test(payeeId))) return null;
  if ('payeeName' in v) {
    if (payeeId != null) return null;
    if (!isTrimmedText(payeeName, MAX_NAME) || CONTROL_CHARS.test(payeeName)) return null;
  }
  if (categoryId != null && !isTrimmedText(categoryId, MAX_REF)) return null;
  if (notes !== undefined && !(typeof notes === 'string' && notes.length <= MAX_NOTES)) {
    return null;
  }
  if (importId != null && !isTrimmedText(importId, MAX_IMPORT_ID)) return null;
  if (importKey != null && !isTrimmedText(importKey, MAX_IMPORT_ID)) return null;
  if (splits !== undefined && !(Array.isArray(splits) && splits.length === 0)) return null;
  const data: Record<string, unknown> = { ...v, notes: notes ?? '', splits: [] };
  return data as TransactionCreateData;
}

/**
 * The last date found valid: a statement's rows come in date order, a few dozen to a date,
 * so most rows skip the calendar check.
 */
let lastIsoDate: unknown = null;

/** Non-empty text of at most `max` characters that trimming would not change. */
function isTrimmedText(value: unknown, max: number): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= max &&
    value.trim().length === value.length
  );
}
