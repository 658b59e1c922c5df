/**
 * Web mode's side of `window.coffer`: calls travel as JSON over one WebSocket to `/api` on
 * the page's own origin (the server let this page in with its launch token, kept in an
 * HttpOnly cookie the socket sends along). Answers are matched to calls by id; events go
 * to subscribers. When the socket closes, every waiting call rejects with DISCONNECTED.
 */
import type { ApiEvent, ApiRequest, ApiResult } from '../../../shared/api/api-envelope.js';
import { parseApiServerMessage } from '../../../shared/api/api-server-message.js';
import type { ApiTransport, CofferEvents } from '../../../shared/api/coffer-api.js';

interface Pending {
  resolve(result: ApiResult): void;
}

export interface WebConnection {
  transport: ApiTransport;
  events: CofferEvents;
}

const DISCONNECTED: ApiResult = {
  ok: false,
  error: {
    code: 'DISCONNECTED',
    message: 'Coffer is not reachable: it may have been stopped. Start it again and reload.',
  },
};

export function connectWebTransport(url: string): WebConnection {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let nextId = 1;
  let closed = false;
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve) => {
    socket.addEventListener('open', () => resolve(), { once: true });
  });

  socket.addEventListener('message', (message: MessageEvent<unknown>) => {
    if (typeof message.data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.data);
    } catch {
      return;
    }
    const answer = parseApiServerMessage(parsed);
    if (answer === null) return;
    if (answer.type === 'event') {
      const event: ApiEvent = answer.event;
      for (const listener of listeners) listener(event);
      return;
    }
    const waiting = pending.get(answer.id);
    if (waiting === undefined) return;
    pending.delete(answer.id);
    waiting.resolve(answer.result);
  });

  socket.addEventListener('close', () => {
    closed = true;
    for (const waiting of pending.values()) waiting.resolve(DISCONNECTED);
    pending.clear();
  });

  const transport: ApiTransport = async (service, method, input) => {
    await Promise.race([
      opened,
      new Promise((resolve) => socket.addEventListener('close', resolve)),
    ]);
    if (closed) return DISCONNECTED;
    const id = nextId++;
    const request: ApiRequest = { id, service, method, input };
    return new Promise<ApiResult>((resolve) => {
      pending.set(id, { resolve });
      socket.send(JSON.stringify(request));
    });
  };

  return {
    transport,
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
