/**
 * One method of the `window.coffer` API: the zod schema its single argument must pass on
 * the core side, and (as a type only) what it resolves to. The renderer never sees the
 * schema run; the core validates every call with it before any service sees the input.
 */
import type * as z from 'zod';

export interface ApiMethod<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Carries the output type; never set at run time. */
  readonly output?: O;
}

/**
 * `apiMethod<Output>()(InputSchema)`: curried so the output type is written once and the
 * input type is inferred from the schema.
 */
export function apiMethod<O>(): <I extends z.ZodType>(input: I) => ApiMethod<I, O> {
  return (input) => ({ input });
}

export type ApiGroup = Readonly<Record<string, ApiMethod>>;

export type ApiInput<M> = M extends ApiMethod<infer I, unknown> ? z.input<I> : never;
export type ApiOutput<M> = M extends ApiMethod<z.ZodType, infer O> ? O : never;

/** What the renderer holds for one group: each method takes its input and resolves. */
export type ApiClient<G extends ApiGroup> = {
  readonly [K in keyof G]: (input: ApiInput<G[K]>) => Promise<ApiOutput<G[K]>>;
};
