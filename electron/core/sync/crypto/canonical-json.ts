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
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out += `${i === 0 ? '' : ','}${item === undefined ? 'null' : canonicalJson(item)}`;
    }
    return `${out}]`;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw notJson('an object that is not plain data');
  }
  const object = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, the same order on every device.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

function notJson(what: string): CofferError {
  return new CofferError('INVALID_INPUT', `A change cannot carry ${what}.`);
}
