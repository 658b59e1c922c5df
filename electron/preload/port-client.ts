/**
 * The window's end of its MessagePort to the core: numbers each call, keeps it pending
 * until the core answers with the same id, and hands events to listeners. Calls made
 * before the port arrives wait for it. Answers are parsed with the shared envelope
 * schema; anything else on the port is ignored, never resolved.
 */
import {
  ApiServerMessageSchema,
  type ApiEvent,
  type ApiEventName,
  type ApiResult,
} from '../../shared/api/api-envelope.js';
import type { ApiTransport } from '../../shared/api/coffer-api.js';

/** What the client uses of a DOM MessagePort (Electron's renderer, or Node's in tests). */
export interface WindowPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}

export interface PortClient {
  readonly transport: ApiTransport;
  /** Uses `port` from now on; a previous port is closed and its pending calls fail. */
  attach(port: WindowPort): void;
  onEvent(name: ApiEventName, listener: (data: ApiEvent['data']) => void): () => void;
  /** Calls still waiting for an answer. */
  readonly pendingCount: number;
}

const DISCONNECTED: ApiResult = {
  ok: false,
  error: { code: 'INTERNAL', message: 'The connection to Coffer’s engine was replaced' },
};

export function createPortClient(): PortClient {
  let port: WindowPort | null = null;
  let nextId = 1;
  const pending = new Map<number, (result: ApiResult) => void>();
  const queued: unknown[] = [];
  const listeners = new Map<ApiEventName, Set<(data: ApiEvent['data']) => void>>();

  const receive = (data: unknown): void => {
    const parsed = ApiServerMessageSchema.safeParse(data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'result') {
      const settle = pending.get(message.id);
      if (settle === undefined) return;
      pending.delete(message.id);
      settle(message.result as ApiResult);
      return;
    }
    for (const listener of listeners.get(message.event.name) ?? []) listener(message.event.data);
  };

  const transport: ApiTransport = (service, method, input) =>
    new Promise<ApiResult>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      const request = { id, service, method, input };
      if (port === null) queued.push(request);
      else port.postMessage(request);
    });

  return {
    transport,
    attach(next) {
      if (port !== null) {
        port.close();
        for (const settle of pending.values()) settle(DISCONNECTED);
        pending.clear();
      }
      port = next;
      next.addEventListener('message', (event) => receive(event.data));
      next.start();
      for (const request of queued.splice(0)) next.postMessage(request);
    },
    onEvent(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
    get pendingCount() {
      return pending.size;
    },
  };
}
