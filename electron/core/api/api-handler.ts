import type * as z from 'zod';
import type { ApiEvent } from '../../../shared/api/api-envelope.js';
import type { ApiGroup, ApiMethod, ApiOutput } from '../../../shared/api/api-method.js';
import type { CofferApiTable, ServiceName } from '../../../shared/api/coffer-api.js';
import type { AppSession } from './app-session.js';

/** What a handler gets besides its input: the session, and a way to report progress. */
export interface HandlerContext {
  session: AppSession;
  progress(task: string, done: number, total: number | null): void;
  /** Tells every window something happened (the lock engaged, data changed). */
  emit(event: ApiEvent): void;
}

type InputOf<M> = M extends ApiMethod<infer I, unknown> ? z.output<I> : never;

/** The core's side of one group: a function per listed method, input already validated. */
export type GroupHandlers<G extends ApiGroup> = {
  readonly [K in keyof G]: (
    input: InputOf<G[K]>,
    context: HandlerContext,
  ) => ApiOutput<G[K]> | Promise<ApiOutput<G[K]>>;
};

/** Every method of the API, each with its handler: a method without one fails to compile. */
export type CoreHandlers = { readonly [S in ServiceName]: GroupHandlers<CofferApiTable[S]> };

/** The context's `emit` on its own, for what tells the windows after the call (a sync loop). */
export function windows(context: HandlerContext): (event: ApiEvent) => void {
  return (event) => context.emit(event);
}
