import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRequestSchema, type ApiRequest } from '../../shared/api/api-envelope.js';
import { ApiError } from '../../shared/api/api-error.js';
import { buildCofferApi } from '../../shared/api/coffer-api.js';
import { createPortClient, type WindowPort } from './port-client.js';

const ports: MessagePort[] = [];
afterEach(() => {
  while (ports.length > 0) ports.pop()?.close();
});

/** The core's end of a channel, scripted: it collects requests and answers when told. */
function coreEnd(port: MessagePort) {
  ports.push(port);
  const requests: ApiRequest[] = [];
  const waiters: (() => void)[] = [];
  port.on('message', (message: unknown) => {
    requests.push(ApiRequestSchema.parse(message));
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    requests,
    post: (message: unknown) => port.postMessage(message),
    async next(count: number): Promise<ApiRequest[]> {
      while (requests.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return requests.slice(0, count);
    },
  };
}

/** Node's MessagePort is an EventTarget with the DOM's message events, like the renderer's. */
function windowPort(port: MessagePort): WindowPort {
  ports.push(port);
  return port as unknown as WindowPort;
}

describe('the preload port client', () => {
  it('window.coffer calls travel as numbered requests and resolve with their own answer', async () => {
    const channel = new MessageChannel();
    const client = createPortClient();
    client.attach(windowPort(channel.port1));
    const core = coreEnd(channel.port2);
    const api = buildCofferApi(client.transport);

    const status = api.app.status({});
    // Caught at once: it rejects while the status call is still being awaited.
    const open = api.app.openVault({}).catch((error: unknown) => error);
    const [first, second] = await core.next(2);
    expect(first).toEqual({ id: 1, service: 'app', method: 'status', input: {} });
    expect(second).toMatchObject({ id: 2, service: 'app', method: 'openVault' });

    // Answers out of order, each to its own call.
    core.post({
      type: 'result',
      id: 2,
      result: { ok: false, error: { code: 'VAULT_NOT_FOUND', message: 'No vault' } },
    });
    core.post({ type: 'result', id: 1, result: { ok: true, value: { vault: 'missing' } } });
    await expect(status).resolves.toEqual({ vault: 'missing' });
    const refused = await open;
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'VAULT_NOT_FOUND', message: 'No vault' });
    expect(client.pendingCount).toBe(0);
  });

  it('calls made before the port arrives wait for it, in order', async () => {
    const client = createPortClient();
    const api = buildCofferApi(client.transport);
    const early = api.app.status({});
    expect(client.pendingCount).toBe(1);
    const channel = new MessageChannel();
    const core = coreEnd(channel.port2);
    client.attach(windowPort(channel.port1));
    const [request] = await core.next(1);
    expect(request).toMatchObject({ id: 1, method: 'status' });
    core.post({ type: 'result', id: 1, result: { ok: true, value: 'ok' } });
    await expect(early).resolves.toBe('ok');
  });

  it('ignores answers that do not parse or name no pending call', async () => {
    const channel = new MessageChannel();
    const client = createPortClient();
    client.attach(windowPort(channel.port1));
    const core = coreEnd(channel.port2);
    const call = client.transport('app', 'status', {});
    await core.next(1);
    core.post({ type: 'result', id: 999, result: { ok: true, value: 'forged' } });
    core.post({ type: 'result', id: 1, result: { ok: 'yes', value: 'malformed' } });
    core.post({ type: 'result', id: '1', result: { ok: true, value: 'string id' } });
    core.post('garbage');
    core.post({ type: 'result', id: 1, result: { ok: true, value: 'real' } });
    await expect(call).resolves.toEqual({ ok: true, value: 'real' });
    expect(client.pendingCount).toBe(0);
  });

  it('hands core events to the listeners of that event name, until they unsubscribe', async () => {
    const channel = new MessageChannel();
    const client = createPortClient();
    client.attach(windowPort(channel.port1));
    const core = coreEnd(channel.port2);
    const seen: unknown[] = [];
    const stop = client.onEvent('lock.changed', (data) => seen.push(data));
    client.onEvent('progress', () => seen.push('wrong listener'));
    core.post({ type: 'event', event: { name: 'lock.changed', data: { locked: true } } });
    core.post({ type: 'event', event: { name: 'not.an.event', data: {} } });
    // A round trip orders the check after the events above.
    const ping = client.transport('app', 'status', {});
    await core.next(1);
    core.post({ type: 'result', id: 1, result: { ok: true, value: null } });
    await ping;
    expect(seen).toEqual([{ locked: true }]);
    stop();
    core.post({ type: 'event', event: { name: 'lock.changed', data: { locked: false } } });
    const ping2 = client.transport('app', 'status', {});
    await core.next(2);
    core.post({ type: 'result', id: 2, result: { ok: true, value: null } });
    await ping2;
    expect(seen).toEqual([{ locked: true }]);
  });

  it('a replaced port fails the calls still waiting on the old one, and carries new calls', async () => {
    const client = createPortClient();
    const first = new MessageChannel();
    client.attach(windowPort(first.port1));
    const oldCore = coreEnd(first.port2);
    const stranded = client.transport('app', 'status', {});
    await oldCore.next(1);

    const second = new MessageChannel();
    const newCore = coreEnd(second.port2);
    client.attach(windowPort(second.port1));
    await expect(stranded).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const fresh = client.transport('app', 'status', {});
    const [request] = await newCore.next(1);
    newCore.post({ type: 'result', id: request?.id, result: { ok: true, value: 'new' } });
    await expect(fresh).resolves.toEqual({ ok: true, value: 'new' });
  });
});
