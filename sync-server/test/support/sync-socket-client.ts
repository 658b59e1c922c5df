import { createRequire } from 'node:module';

import type { TestServer } from './start-test-server.js';

/** The parts of the `ws` library's client these tests use (the package ships no types). */
interface WsClient {
  send(data: string): void;
  close(): void;
  on(event: 'open' | 'ping', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(
    event: 'unexpected-response',
    listener: (request: unknown, response: NodeJS.ReadableStream & { statusCode?: number }) => void,
  ): void;
}
type WsClientClass = new (
  url: string,
  options: { headers: Record<string, string>; ca: string; autoPong: boolean },
) => WsClient;

const WebSocket = createRequire(import.meta.url)('ws') as WsClientClass;

export interface SeqMessage {
  type: string;
  seq: number;
  epoch: string;
}

export interface OpenSyncSocket {
  client: WsClient;
  /** Every message so far, parsed. */
  messages: SeqMessage[];
  /** Resolves with the next message not yet taken. */
  nextMessage(): Promise<SeqMessage>;
  /** Resolves when the socket closes, with the code and reason the server gave. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves on the next ping from the server. */
  nextPing(): Promise<void>;
}

export type SyncSocketAttempt =
  | { status: 101; socket: OpenSyncSocket }
  | { status: number; json: { error?: { code: string; message: string } } };

/**
 * Opens GET /v1/workspaces/:id/sync/ws with a real `ws` client over TLS 1.3, pinning the
 * test server's certificate. A refused upgrade resolves with its status and JSON body.
 */
export function openSyncSocket(
  server: TestServer,
  workspaceId: string,
  token: string | undefined,
  options: { autoPong?: boolean; query?: string } = {},
): Promise<SyncSocketAttempt> {
  const url =
    `${server.url.replace(/^https:/, 'wss:')}/v1/workspaces/${workspaceId}/sync/ws` +
    (options.query === undefined ? '' : `?${options.query}`);
  const client = new WebSocket(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ca: server.ca,
    autoPong: options.autoPong ?? true,
  });
  const messages: SeqMessage[] = [];
  let taken = 0;
  const waiting: ((message: SeqMessage) => void)[] = [];
  const pings: (() => void)[] = [];
  client.on('message', (data) => {
    const message = JSON.parse(data.toString('utf8')) as SeqMessage;
    messages.push(message);
    const next = waiting.shift();
    if (next !== undefined) {
      taken += 1;
      next(message);
    }
  });
  client.on('ping', () => pings.shift()?.());
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    client.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  return new Promise((resolve, reject) => {
    client.on('open', () =>
      resolve({
        status: 101,
        socket: {
          client,
          messages,
          closed,
          nextMessage: () =>
            new Promise((resolveMessage) => {
              const ready = messages[taken];
              if (ready !== undefined) {
                taken += 1;
                resolveMessage(ready);
              } else {
                waiting.push(resolveMessage);
              }
            }),
          nextPing: () => new Promise((resolvePing) => pings.push(resolvePing)),
        },
      }),
    );
    client.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          json: JSON.parse(body) as { error?: { code: string; message: string } },
        }),
      );
    });
    client.on('error', reject);
  });
}

/** The open socket of an attempt that must have succeeded. */
export function opened(attempt: SyncSocketAttempt): OpenSyncSocket {
  if (!('socket' in attempt)) {
    throw new Error(`upgrade refused: ${attempt.status} ${JSON.stringify(attempt.json)}`);
  }
  return attempt.socket;
}
