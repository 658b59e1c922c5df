/**
 * Test clients for web mode that speak to the real server over loopback: raw HTTP (Node's
 * http.request sends the path exactly as given, so `..` and `%2e%2e` reach the server
 * unnormalised, unlike fetch) and WebSocket through `ws`.
 */
import http from 'node:http';

import type { ApiServerMessage } from '../../../shared/api/api-envelope.js';
import { WebSocket } from 'ws';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function rawGet(
  port: number,
  path: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path, method: 'GET', headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** The launch token from the printed URL. */
export function tokenOf(url: string): string {
  const token = new URL(url).searchParams.get('token');
  if (token === null) throw new Error(`no token in ${url}`);
  return token;
}

/** Visits the printed URL and returns the `name=value` cookie pair the server set. */
export async function signIn(port: number, url: string): Promise<string> {
  const response = await rawGet(port, `/?token=${tokenOf(url)}`);
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  const [cookie] = response.headers['set-cookie'] ?? [];
  if (cookie === undefined) throw new Error('sign-in set no cookie');
  return cookie.split(';')[0] as string;
}

export class RefusedUpgrade extends Error {
  constructor(readonly status: number) {
    super(`WebSocket refused with HTTP ${status}`);
  }
}

/** Opens `/api`; rejects with RefusedUpgrade carrying the HTTP status when refused. */
export function openApiSocket(
  port: number,
  options: { cookie?: string; origin?: string; host?: string; path?: string } = {},
): Promise<ApiSocket> {
  const headers: http.OutgoingHttpHeaders = {};
  if (options.cookie !== undefined) headers['cookie'] = options.cookie;
  if (options.host !== undefined) headers['host'] = options.host;
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, {
    headers,
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(new ApiSocket(socket)));
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      reject(new RefusedUpgrade(response.statusCode ?? 0));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** One open `/api` socket: every message it receives is kept, in order. */
export class ApiSocket {
  readonly received: ApiServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
      this.received.push(JSON.parse(text) as ApiServerMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString('utf8') });
        for (const wake of this.waiters.splice(0)) wake();
      }),
    );
  }

  send(frame: string | Buffer): void {
    this.socket.send(frame);
  }

  /** Sends one call and resolves with its result. */
  async call(id: number, service: string, method: string, input: unknown = {}) {
    this.send(JSON.stringify({ id, service, method, input }));
    const answer = await this.next(
      (m) => m.type === 'result' && m.id === id,
      `the answer to call ${id}`,
    );
    if (answer.type !== 'result') throw new Error('not a result');
    return answer.result;
  }

  /** The first message (already received or still to come) that `match` accepts. */
  async next(
    match: (message: ApiServerMessage) => boolean,
    what: string,
  ): Promise<ApiServerMessage> {
    for (;;) {
      const found = this.received.find(match);
      if (found !== undefined) return found;
      if (this.socket.readyState !== WebSocket.OPEN) {
        throw new Error(`the socket closed before ${what} arrived`);
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  close(): void {
    this.socket.close();
  }
}
