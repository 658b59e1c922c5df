/**
 * Main's own channel to the core's utility process (`child.postMessage` ↔
 * `process.parentPort`), beside the windows' MessagePorts. Only main holds it, so only
 * main can say "the OS check said yes": a window reaches the core through its port alone,
 * whose dispatcher knows no such message. Both ends parse what they receive.
 */
import * as z from 'zod';
import { strictApiResultSchema, type ApiResult } from '../../shared/api/api-envelope.js';

const Id = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CoreControlRequestSchema = z.discriminatedUnion('step', [
  /** Main is about to show the OS prompt: the core charges an attempt or refuses. */
  z.strictObject({ type: z.literal('os-unlock'), id: Id, step: z.literal('begin') }),
  /** The prompt's outcome; `verified` only when the OS confirmed the user. */
  z.strictObject({
    type: z.literal('os-unlock'),
    id: Id,
    step: z.literal('finish'),
    verified: z.boolean(),
  }),
]);
export type CoreControlRequest = z.infer<typeof CoreControlRequestSchema>;

export interface CoreControlReply {
  type: 'os-unlock-reply';
  id: number;
  result: ApiResult<null>;
}

export const CoreControlReplySchema = z.strictObject({
  type: z.literal('os-unlock-reply'),
  id: Id,
  result: strictApiResultSchema(z.null()),
});
