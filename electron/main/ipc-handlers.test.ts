import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import { registerIpcHandlers, type IpcEventLike } from './ipc-handlers.js';
import type { FrameLike } from './ipc-sender.policy.js';

/** Records what registerIpcHandlers asks of ipcMain: Electron's surface, not ours. */
class RecordingIpcMain {
  readonly listeners = new Map<string, (event: IpcEventLike) => void>();
  readonly handled: string[] = [];
  on(channel: string, listener: (event: IpcEventLike) => void): this {
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
  const refused: number[] = [];
  registerIpcHandlers(ipcMain, {
    windowTopFrame: (id) => windows.get(id),
    connect: (id) => connected.push(id),
    onRefused: (_channel, id) => refused.push(id),
  });
  const send = (senderId: number, senderFrame: FrameLike | null) =>
    ipcMain.listeners.get(DESKTOP_IPC.connect)?.({ sender: { id: senderId }, senderFrame });
  return { ipcMain, top, connected, refused, send };
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('main-process IPC handlers', () => {
  it('are one listener on coffer:connect and no invoke handler at all', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.listeners.keys()]).toEqual([DESKTOP_IPC.connect]);
    expect(ipcMain.handled).toEqual([]);
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
    expect(refused).toEqual([7, 7, 7, 8]);
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
          expect(match[1], `${name}: ${match[0]}`).toMatch(/^DESKTOP_IPC\.(connect|port)$/);
        }
      }
    }
  });
});
