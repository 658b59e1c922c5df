/**
 * Reads a message from the core the way `ApiServerMessageSchema` does, without zod: web
 * mode's page parses every WebSocket frame with it, and its first script must not carry a
 * schema library to do so. For any JSON value it accepts and returns exactly what the
 * schema does (unknown keys dropped), and a test holds the two to the same answers.
 */
import type { CofferErrorJson } from '../errors/coffer-error.js';
import { API_EVENT_NAMES } from './api-event-names.js';
import type { ApiEvent, ApiResult, ApiServerMessage } from './api-envelope.js';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A copy of a plain object; a `__proto__` key is left out, as the schema leaves it out. */
function readRecord(value: unknown): Record<string, unknown> | null {
  if (!isFields(value)) return null;
  const record: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key !== '__proto__') record[key] = field;
  }
  return record;
}

function readErrorJson(value: unknown): CofferErrorJson | null {
  if (!isFields(value)) return null;
  const { code, message, details } = value;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  if (details === undefined) return { code, message } as CofferErrorJson;
  const record = readRecord(details);
  return record === null ? null : ({ code, message, details: record } as CofferErrorJson);
}

function readResult(value: unknown): ApiResult | null {
  if (!isFields(value)) return null;
  // The schema wants `value` present, even as null: a success without one is malformed.
  if (value['ok'] === true) {
    return Object.hasOwn(value, 'value') ? { ok: true, value: value['value'] } : null;
  }
  if (value['ok'] !== false) return null;
  const error = readErrorJson(value['error']);
  return error === null ? null : { ok: false, error };
}

function readEvent(value: unknown): ApiEvent | null {
  if (!isFields(value)) return null;
  const { name, data } = value;
  const known = API_EVENT_NAMES.find((candidate) => candidate === name);
  const record = readRecord(data);
  return known === undefined || record === null ? null : { name: known, data: record };
}

/** The message, or null for anything `ApiServerMessageSchema` would refuse. */
export function parseApiServerMessage(value: unknown): ApiServerMessage | null {
  if (!isFields(value)) return null;
  if (value['type'] === 'result') {
    const { id } = value;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null;
    const result = readResult(value['result']);
    return result === null ? null : { type: 'result', id, result };
  }
  if (value['type'] === 'event') {
    const event = readEvent(value['event']);
    return event === null ? null : { type: 'event', event };
  }
  return null;
}
