/**
 * The messages that carry `window.coffer` calls between a window and the core: over a
 * MessagePort in the desktop app, over a WebSocket in web mode. Both ends parse what they
 * receive with these schemas; a message that does not parse is answered (when it has an
 * id) or dropped, never acted on.
 */
import * as z from 'zod';
import type { CofferErrorJson } from '../errors/coffer-error.js';
import { API_EVENT_NAMES, type ApiEventName } from './api-event-names.js';

const NAME = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'must be a method name');

export const ApiRequestSchema = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  service: NAME,
  method: NAME,
  input: z.unknown(),
});
export type ApiRequest = z.infer<typeof ApiRequestSchema>;

export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: CofferErrorJson };

/** Something the core tells every window without being asked (progress, lock, changes). */
export interface ApiEvent {
  name: ApiEventName;
  data: Record<string, unknown>;
}

export { API_EVENT_NAMES, type ApiEventName };

export type ApiServerMessage =
  { type: 'result'; id: number; result: ApiResult } | { type: 'event'; event: ApiEvent };

const ErrorJsonSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/**
 * A result envelope whose success carries `value`, with no other keys: for the desktop's
 * private channels (main ↔ preload, main ↔ core), where each end parses what it receives.
 */
export function strictApiResultSchema<T extends z.ZodType>(value: T) {
  return z.union([
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: ErrorJsonSchema }),
  ]);
}

export const ApiServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    id: z.number().int().min(0),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: ErrorJsonSchema }),
    ]),
  }),
  z.object({
    type: z.literal('event'),
    event: z.object({
      name: z.enum(API_EVENT_NAMES),
      data: z.record(z.string(), z.unknown()),
    }),
  }),
]);
