// The hub over real WebSockets: events reach every open tab, each answer only the tab
// that asked.
import type { AddressInfo } from 'node:net';

import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

import type { ApiServerMessage } from '../../shared/api/api-envelope.js';
import { ApiSocketHub } from './api-socket-hub.js';
import { ApiSocket } from './testing/web-client.js';
import { WebSocket } from 'ws';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function hubServer(): Promise<{ hub: ApiSocketHub; connect: () => Promise<ApiSocket> }> {
  const hub = new ApiSocketHub(() => undefined);
  // Echoes each call's method back as its result, so answers can be told apart.
  hub.useDispatcher(async (message) => {
    const { id, method } = message as { id: number; method: string };
    return { type: 'result', id, result: { ok: true, value: method } };
  });
  const app = Fastify({ logger: false });
  await app.register(websocket);
  app.get('/api', { websocket: true }, (socket) => hub.attach(socket));
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  const connect = () =>
    new Promise<ApiSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api`);
      const client = new ApiSocket(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      cleanups.push(() => client.close());
    });
  return { hub, connect };
}

describe('ApiSocketHub', () => {
  it('sends events to every open socket and answers only the caller', async () => {
    const { hub, connect } = await hubServer();
    const [a, b] = [await connect(), await connect()];
    expect(await a.call(1, 'app', 'fromA')).toEqual({ ok: true, value: 'fromA' });

    hub.broadcast({ name: 'progress', data: { task: 'import', done: 1, total: 2 } });
    const isEvent = (m: ApiServerMessage) => m.type === 'event';
    for (const socket of [a, b]) {
      expect(await socket.next(isEvent, 'the event')).toEqual({
        type: 'event',
        event: { name: 'progress', data: { task: 'import', done: 1, total: 2 } },
      });
    }
    // b saw the event and nothing of a's call.
    expect(b.received).toHaveLength(1);
  });

  it('closes every socket with 1001 when it closes', async () => {
    const { hub, connect } = await hubServer();
    const socket = await connect();
    await hub.close();
    expect((await socket.closed).code).toBe(1001);
  });
});
