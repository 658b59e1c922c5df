import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../../shared/api/api-envelope.js';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import type { OsCheckReply } from '../../shared/app/os-check.js';
import { registerIpcHandlers, type IpcEventLike } from './ipc-handlers.js';
import type { FrameLike } from './ipc-sender.policy.js';
import type { OsUnlockBroker } from './os-unlock.broker.js';

type Listener = (event: IpcEventLike, payload?: unknown) => void;

/** Records what registerIpcHandlers asks of ipcMain: Electron's surface, not ours. */
class RecordingIpcMain {
  readonly listeners = new Map<string, Listener>();
  readonly handled: string[] = [];
  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, listener);
    return this;
  }
  handle(channel: string): void {
    this.handled.push(channel);
  }
}

function setup() {
  const ipcMain = new RecordingIpcMain();
  const top: FrameLike = { url: 'app://coffer/index.html', parent: null };
  const windows = new Map<number, FrameLike>([[7, top]]);
  const connected: number[] = [];
  const refused: [string, number][] = [];
  const replies: { frame: FrameLike; reply: OsCheckReply }[] = [];
  // Main's side of the OS check, scripted: it counts what it was asked.
  const asked: string[] = [];
  const osUnlock: OsUnlockBroker = {
    availability: () => {
      asked.push('availability');
      return Promise.resolve({ kind: 'touch-id' });
    },
    unlock: () => {
      asked.push('unlock');
      return Promise.resolve<ApiResult<null>>({ ok: true, value: null });
    },
  };
  registerIpcHandlers(ipcMain, {
    windowTopFrame: (id) => windows.get(id),
    connect: (id) => connected.push(id),
    osUnlock,
    replyOsCheck: (frame, reply) => replies.push({ frame, reply }),
    onRefused: (channel, id) => refused.push([channel, id]),
  });
  const send = (senderId: number, senderFrame: FrameLike | null) =>
    ipcMain.listeners.get(DESKTOP_IPC.connect)?.({ sender: { id: senderId }, senderFrame });
  const askOs = (senderId: number, senderFrame: FrameLike | null, payload: unknown) =>
    ipcMain.listeners.get(DESKTOP_IPC.osCheck)?.(
      { sender: { id: senderId }, senderFrame },
      payload,
    );
  return { ipcMain, top, connected, refused, replies, asked, send, askOs };
}

/** Lets the promise callbacks queued by a handler run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('main-process IPC handlers', () => {
  it('are listeners on coffer:connect and coffer:os-check only, and no invoke handler at all', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.listeners.keys()]).toEqual([DESKTOP_IPC.connect, DESKTOP_IPC.osCheck]);
    expect(ipcMain.handled).toEqual([]);
    // Every channel there is: two the preload sends on, two main sends on.
    expect(Object.values(DESKTOP_IPC).sort()).toEqual([
      'coffer:connect',
      'coffer:os-check',
      'coffer:os-check-result',
      'coffer:port',
    ]);
  });

  it("connect gives a port to the window's top frame on the app origin", () => {
    const { top, connected, refused, send } = setup();
    send(7, top);
    expect(connected).toEqual([7]);
    expect(refused).toEqual([]);
  });

  it('connect from a subframe, a null frame, another origin or an unknown window does nothing', () => {
    const { top, connected, refused, send } = setup();
    send(7, { url: 'app://coffer/index.html', parent: top });
    send(7, null);
    send(7, { url: 'https://example.com/', parent: null });
    send(8, top);
    expect(connected).toEqual([]);
    expect(refused.map(([, id]) => id)).toEqual([7, 7, 7, 8]);
  });

  it("os-check answers the window's top frame with main's availability and unlock outcome", async () => {
    const { top, asked, replies, refused, askOs } = setup();
    askOs(7, top, { id: 1, action: 'availability' });
    askOs(7, top, { id: 2, action: 'unlock' });
    await settle();
    expect(asked).toEqual(['availability', 'unlock']);
    replies.sort((a, b) => a.reply.id - b.reply.id);
    expect(replies).toEqual([
      { frame: top, reply: { id: 1, result: { ok: true, value: { kind: 'touch-id' } } } },
      { frame: top, reply: { id: 2, result: { ok: true, value: null } } },
    ]);
    expect(refused).toEqual([]);
  });

  it('os-check from a subframe, a null frame, another origin or an unknown window runs nothing', async () => {
    const { top, asked, replies, refused, askOs } = setup();
    const request = { id: 1, action: 'unlock' };
    askOs(7, { url: 'app://coffer/index.html', parent: top }, request);
    askOs(7, null, request);
    askOs(7, { url: 'https://example.com/', parent: null }, request);
    askOs(8, top, request);
    await settle();
    expect(asked).toEqual([]);
    expect(replies).toEqual([]);
    expect(refused).toEqual([
      [DESKTOP_IPC.osCheck, 7],
      [DESKTOP_IPC.osCheck, 7],
      [DESKTOP_IPC.osCheck, 7],
      [DESKTOP_IPC.osCheck, 8],
    ]);
  });

  it('os-check takes no outcome from the page: anything but { id, action } is refused', async () => {
    const { top, asked, replies, refused, askOs } = setup();
    for (const payload of [
      { id: 1, action: 'unlock', verified: true },
      { id: 2, action: 'finish', verified: true },
      { id: 3, action: 'unlock', result: { ok: true, value: null } },
      { id: -1, action: 'unlock' },
      { type: 'os-unlock', id: 4, step: 'finish', verified: true },
      'unlock',
      undefined,
    ]) {
      askOs(7, top, payload);
    }
    await settle();
    expect(asked).toEqual([]);
    expect(replies).toEqual([]);
    expect(refused).toHaveLength(7);
  });

  it('no source of the main process or preload registers an invoke handler or generic channel', () => {
    const dirs = [import.meta.dirname, path.join(import.meta.dirname, '..', 'preload')];
    for (const dir of dirs) {
      for (const name of fs
        .readdirSync(dir)
        .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
        const text = withoutComments(fs.readFileSync(path.join(dir, name), 'utf8'));
        expect(text, name).not.toMatch(/ipcMain\.handle|ipcRenderer\.invoke|ipcRenderer\.sendSync/);
        for (const match of text.matchAll(/ipc(?:Main|Renderer)\.(?:on|once|send)\(\s*([^,)]+)/g)) {
          expect(match[1], `${name}: ${match[0]}`).toMatch(
            /^DESKTOP_IPC\.(connect|port|osCheck|osCheckResult)$/,
          );
        }
      }
    }
  });
});
