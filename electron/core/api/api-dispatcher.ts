/**
 * Turns one message from a window into one answer. Whatever arrives (desktop MessagePort
 * or web-mode WebSocket) is parsed as an ApiRequest, looked up in the API table (own
 * entries only: `__proto__` or `constructor` name nothing), refused while the app lock is
 * engaged, validated with the method's schema, and only then handed to its handler. Any
 * failure becomes a result with a code; an error that is not a CofferError is reported as
 * INTERNAL with a fixed message, so no stack, path or SQL reaches a window.
 */
import {
  ApiRequestSchema,
  type ApiEvent,
  type ApiServerMessage,
} from '../../../shared/api/api-envelope.js';
import { findApiMethod, LOCK_EXEMPT_METHODS } from '../../../shared/api/coffer-api.js';
import {
  CofferError,
  isCofferError,
  type CofferErrorJson,
} from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import type { HandlerContext } from './api-handler.js';
import type { AppSession } from './app-session.js';
import { CORE_HANDLERS } from './core-handlers.js';

export interface ApiDispatcherOptions {
  session: AppSession;
  /** Tells every window something (progress, lock changes). */
  emit(event: ApiEvent): void;
  /** Unexpected failures, for the operator's log: never sent to a window. */
  onInternalError?(error: unknown): void;
}

export type ApiDispatcher = (message: unknown) => Promise<ApiServerMessage | null>;

type AnyHandler = (input: unknown, context: HandlerContext) => unknown;

/**
 * Calls that keep the vault's write transaction open across awaits (the import and its
 * preview, a dry run rolled back at the end): every other call waits while one runs.
 */
const EXCLUSIVE_METHODS: ReadonlySet<string> = new Set(['imports.run', 'imports.preview']);

export function createApiDispatcher(options: ApiDispatcherOptions): ApiDispatcher {
  const context: HandlerContext = {
    session: options.session,
    progress: (task, done, total) =>
      options.emit({ name: 'progress', data: { task, done, total } }),
    emit: (event) => options.emit(event),
  };
  // The session's gate, not one per dispatcher: the desktop app makes a dispatcher per window.
  const gate = options.session.calls;

  return async (message) => {
    const request = ApiRequestSchema.safeParse(message);
    if (!request.success) {
      // Without an id there is no one to answer; a malformed call is dropped, not acted on.
      const id = idOf(message);
      if (id === null) return null;
      return failure(id, new CofferError('INVALID_INPUT', 'Malformed API request'));
    }
    const { id, service, method, input } = request.data;
    try {
      const entry = findApiMethod(service, method);
      if (entry === undefined) {
        throw new CofferError('UNKNOWN_METHOD', `There is no method ${service}.${method}`);
      }
      const name = `${service}.${method}`;
      const answer = async (): Promise<unknown> => {
        if (!LOCK_EXEMPT_METHODS.has(name) && options.session.isLocked()) {
          throw new CofferError('APP_LOCKED', 'Coffer is locked: unlock it first');
        }
        const valid = parseInput(entry.input, input, name);
        const group = CORE_HANDLERS[service as keyof typeof CORE_HANDLERS] as unknown as Record<
          string,
          AnyHandler
        >;
        const handler = group[method] as AnyHandler;
        const value = await handler(valid, context);
        if (!LOCK_EXEMPT_METHODS.has(name)) options.session.noteActivity();
        return value;
      };
      const value = EXCLUSIVE_METHODS.has(name)
        ? await gate.exclusively(answer)
        : await gate.shared(answer);
      return { type: 'result', id, result: { ok: true, value: value ?? null } };
    } catch (error) {
      if (!isCofferError(error)) options.onInternalError?.(error);
      return failure(id, error);
    }
  };
}

function failure(id: number, error: unknown): ApiServerMessage {
  return { type: 'result', id, result: { ok: false, error: errorJson(error) } };
}

function errorJson(error: unknown): CofferErrorJson {
  if (isCofferError(error)) return error.toJSON();
  return { code: 'INTERNAL', message: 'Something went wrong inside Coffer' };
}

function idOf(message: unknown): number | null {
  if (typeof message !== 'object' || message === null || !('id' in message)) return null;
  const { id } = message;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
