import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiServerMessage } from '../../shared/api/api-envelope.js';
import { createApiDispatcher } from '../core/api/api-dispatcher.js';
import { AppSession } from '../core/api/app-session.js';
import { MemoryKeyStore } from '../core/vault/memory.key-store.js';
import { createCorePortHub, type CorePort, type CorePortHub } from './core-port.hub.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** The hub's port shape over a Node MessagePort, as core-process.ts adapts Electron's. */
function corePort(port: MessagePort): CorePort {
  return {
    onMessage: (listener) => port.on('message', listener),
    onClose: (listener) => port.on('close', listener),
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
  };
}

function setup(): { hub: CorePortHub; emit: (event: ApiEvent) => void; internal: unknown[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-hub-'));
  const session = new AppSession({
    vaultDir: path.join(root, 'vault'),
    keyStore: new MemoryKeyStore(),
    host: 'desktop',
  });
  cleanups.push(() => {
    session.closeVault();
    fs.rmSync(root, { recursive: true, force: true });
  });
  let emit: (event: ApiEvent) => void = () => undefined;
  const internal: unknown[] = [];
  const hub = createCorePortHub(
    (hubEmit) => {
      emit = hubEmit;
      return createApiDispatcher({
        session,
        emit: hubEmit,
        onInternalError: (e) => internal.push(e),
      });
    },
    (e) => internal.push(e),
  );
  return { hub, emit: (event) => emit(event), internal };
}

/** A window's end: sends raw messages and collects what comes back. */
function windowEnd(port: MessagePort) {
  const received: ApiServerMessage[] = [];
  const waiters: (() => void)[] = [];
  port.on('message', (message: ApiServerMessage) => {
    received.push(message);
    waiters.splice(0).forEach((wake) => wake());
  });
  cleanups.push(() => port.close());
  return {
    received,
    send: (message: unknown) => port.postMessage(message),
    async next(count: number): Promise<ApiServerMessage[]> {
      while (received.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return received.slice(0, count);
    },
  };
}

describe('the core side of the windows ports', () => {
  it('answers each call on the port it came on, through the real dispatcher and vault', async () => {
    const { hub } = setup();
    const channel = new MessageChannel();
    hub.attach(corePort(channel.port1));
    const window = windowEnd(channel.port2);

    window.send({ id: 1, service: 'app', method: 'status', input: {} });
    const [status] = await window.next(1);
    expect(status).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: { vault: 'missing', host: 'desktop', locked: false } },
    });

    window.send({ id: 2, service: 'app', method: 'createVault', input: {} });
    window.send({ id: 3, service: 'app', method: 'nope', input: {} });
    window.send({ id: 4, service: 'app', method: 'status', input: { extra: true } });
    const answers = await window.next(4);
    const byId = new Map(answers.map((m) => [m.type === 'result' ? m.id : -1, m]));
    expect(byId.get(2)).toMatchObject({
      result: { ok: true, value: { status: { vault: 'open' } } },
    });
    expect(byId.get(3)).toMatchObject({ result: { ok: false, error: { code: 'UNKNOWN_METHOD' } } });
    expect(byId.get(4)).toMatchObject({ result: { ok: false, error: { code: 'INVALID_INPUT' } } });
  });

  it('drops a message without an id, and answers nothing for it', async () => {
    const { hub } = setup();
    const channel = new MessageChannel();
    hub.attach(corePort(channel.port1));
    const window = windowEnd(channel.port2);
    window.send({ service: 'app', method: 'status' });
    window.send('not even an object');
    window.send({ id: 9, service: 'app', method: 'status', input: {} });
    const [only] = await window.next(1);
    expect(only).toMatchObject({ type: 'result', id: 9 });
    expect(window.received).toHaveLength(1);
  });

  it("keeps windows apart: an answer goes to its caller's port only; events go to all", async () => {
    const { hub, emit } = setup();
    const a = new MessageChannel();
    const b = new MessageChannel();
    hub.attach(corePort(a.port1));
    hub.attach(corePort(b.port1));
    const windowA = windowEnd(a.port2);
    const windowB = windowEnd(b.port2);
    expect(hub.size).toBe(2);

    windowA.send({ id: 1, service: 'app', method: 'status', input: {} });
    await windowA.next(1);
    emit({ name: 'data.changed', data: { collections: ['accounts'] } });
    const [, event] = await windowA.next(2);
    const [onlyEvent] = await windowB.next(1);
    expect(event).toEqual({
      type: 'event',
      event: { name: 'data.changed', data: { collections: ['accounts'] } },
    });
    expect(onlyEvent).toEqual(event);
    expect(windowB.received).toHaveLength(1);
  });

  it('broadcasts what the core did by itself (a lock released by main) to every window', async () => {
    const { hub } = setup();
    const a = new MessageChannel();
    const b = new MessageChannel();
    hub.attach(corePort(a.port1));
    hub.attach(corePort(b.port1));
    const windowA = windowEnd(a.port2);
    const windowB = windowEnd(b.port2);
    hub.broadcast({ name: 'lock.changed', data: { locked: false } });
    const expected = { type: 'event', event: { name: 'lock.changed', data: { locked: false } } };
    expect(await windowA.next(1)).toEqual([expected]);
    expect(await windowB.next(1)).toEqual([expected]);
  });

  it('forgets a window whose port closed', async () => {
    const { hub } = setup();
    const channel = new MessageChannel();
    hub.attach(corePort(channel.port1));
    expect(hub.size).toBe(1);
    channel.port2.close();
    while (hub.size > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(hub.size).toBe(0);
  });
});
