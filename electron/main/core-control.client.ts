/**
 * Main's end of its control channel to the core: numbers each request, and settles it
 * with the reply carrying the same id. When the core goes away, whatever waits fails.
 */
import type { ApiResult } from '../../shared/api/api-envelope.js';
import { CoreControlReplySchema, type CoreControlRequest } from './core-control.messages.js';

export type OsUnlockStep = { step: 'begin' } | { step: 'finish'; verified: boolean };

export interface CoreControlClient {
  osUnlock(step: OsUnlockStep): Promise<ApiResult<null>>;
  /** A message from the core's utility process. */
  receive(data: unknown): void;
  /** The core stopped: every waiting request fails. */
  failAll(): void;
}

const CORE_GONE: ApiResult<null> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'Coffer’s engine is not running' },
};

export function createCoreControlClient(
  post: (request: CoreControlRequest) => void,
): CoreControlClient {
  let nextId = 1;
  const pending = new Map<number, (result: ApiResult<null>) => void>();
  return {
    osUnlock(step) {
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        post({ type: 'os-unlock', id, ...step });
      });
    },
    receive(data) {
      const reply = CoreControlReplySchema.safeParse(data);
      if (!reply.success) return;
      const settle = pending.get(reply.data.id);
      if (settle === undefined) return;
      pending.delete(reply.data.id);
      settle(reply.data.result as ApiResult<null>);
    },
    failAll() {
      for (const settle of pending.values()) settle(CORE_GONE);
      pending.clear();
    },
  };
}
