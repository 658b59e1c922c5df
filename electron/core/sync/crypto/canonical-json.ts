import { CofferError } from '../../../../shared/errors/coffer-error.js';

/**
 * JSON with object keys sorted at every depth, so equal values always give equal bytes
 * (JSON.stringify keeps insertion order, which differs between a record built by a form and
 * the same record read back). Only what JSON can carry is accepted: a Date, Buffer, bigint,
 * NaN or Infinity is refused rather than turned into something that decodes differently.
 * Properties whose value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw notJson('a number that is not finite');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw notJson(`a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null)
    throw notJson('an object that is not plain data');
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

function notJson(what: string): CofferError {
  return new CofferError('INVALID_INPUT', `A change cannot carry ${what}.`);
}
