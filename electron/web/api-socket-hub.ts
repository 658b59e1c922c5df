/**
 * The WebSocket side of web mode: each text frame is one ApiRequest for the dispatcher,
 * each answer goes back on the socket it came from, and events go to every socket (every
 * open tab sees progress and lock changes). Frames that are not JSON, or are binary, have
 * no id to answer to and are dropped; the socket stays open for the next call.
 */
import type { ApiEvent, ApiServerMessage } from '../../shared/api/api-envelope.js';
import type { ApiDispatcher } from '../core/api/api-dispatcher.js';
// Types only: `ws` arrives with @fastify/websocket and is not a dependency of its own.
import type { RawData, WebSocket } from 'ws';

/** Sent when Coffer stops: the page can tell a shutdown from a network failure. */
export const CLOSE_GOING_AWAY = 1001;

/** `OPEN` in the WebSocket standard and in `ws`. */
const OPEN = 1;

export class ApiSocketHub {
  private readonly sockets = new Set<WebSocket>();
  private readonly inFlight = new Set<Promise<void>>();
  private dispatch: ApiDispatcher | null = null;

  constructor(private readonly onInternalError: (error: unknown) => void) {}

  /** Set once, after the dispatcher (which needs `broadcast`) exists. */
  useDispatcher(dispatch: ApiDispatcher): void {
    this.dispatch = dispatch;
  }

  attach(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.receive(socket, data);
    });
  }

  broadcast(event: ApiEvent): void {
    const text = JSON.stringify({ type: 'event', event } satisfies ApiServerMessage);
    for (const socket of this.sockets) {
      if (socket.readyState === OPEN) socket.send(text);
    }
  }

  /** Closes every socket, then waits for the calls already running to finish. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.close(CLOSE_GOING_AWAY, 'Coffer is shutting down');
    await Promise.allSettled([...this.inFlight]);
  }

  private receive(socket: WebSocket, data: RawData): void {
    const dispatch = this.dispatch;
    if (dispatch === null) return;
    let message: unknown;
    try {
      message = JSON.parse(textOf(data));
    } catch {
      return;
    }
    const call = dispatch(message)
      .then((answer) => {
        const text = answer === null ? null : this.encode(answer);
        if (text !== null && socket.readyState === OPEN) socket.send(text);
      })
      .catch(this.onInternalError)
      .finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
  }

  /** An answer that is not JSON is a bug in a handler: it is logged and answered INTERNAL. */
  private encode(answer: ApiServerMessage): string | null {
    try {
      return JSON.stringify(answer);
    } catch (error) {
      this.onInternalError(error);
      if (answer.type !== 'result') return null;
      return JSON.stringify({
        type: 'result',
        id: answer.id,
        result: {
          ok: false,
          error: { code: 'INTERNAL', message: 'Something went wrong inside Coffer' },
        },
      } satisfies ApiServerMessage);
    }
  }
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
