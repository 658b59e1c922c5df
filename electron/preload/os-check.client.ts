/**
 * The window's end of the OS-check requests to main: numbers each request, and settles it
 * with main's reply carrying the same id (parsed; anything else is ignored). It can ask;
 * it has no way to say what the OS answered.
 */
import type { ApiResult } from '../../shared/api/api-envelope.js';
import {
  OsCheckReplySchema,
  OS_CHECK_KINDS,
  type OsCheckAvailability,
  type OsCheckBridge,
  type OsCheckRequest,
} from '../../shared/app/os-check.js';

export interface OsCheckClient {
  readonly bridge: OsCheckBridge;
  /** A message main sent on the result channel. */
  receive(data: unknown): void;
}

export function createOsCheckClient(send: (request: OsCheckRequest) => void): OsCheckClient {
  let nextId = 1;
  const pending = new Map<number, (result: ApiResult) => void>();
  const ask = (action: OsCheckRequest['action']) =>
    new Promise<ApiResult>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send({ id, action });
    });

  return {
    bridge: Object.freeze({
      availability: async (): Promise<OsCheckAvailability> => {
        const result = await ask('availability');
        return { kind: result.ok ? kindOf(result.value) : null };
      },
      unlock: async (): Promise<ApiResult<null>> => {
        const result = await ask('unlock');
        return result.ok ? { ok: true, value: null } : result;
      },
    }),
    receive(data) {
      const reply = OsCheckReplySchema.safeParse(data);
      if (!reply.success) return;
      const settle = pending.get(reply.data.id);
      if (settle === undefined) return;
      pending.delete(reply.data.id);
      settle(reply.data.result as ApiResult);
    },
  };
}

function kindOf(value: unknown): OsCheckAvailability['kind'] {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return OS_CHECK_KINDS.find((known) => known === kind) ?? null;
}
