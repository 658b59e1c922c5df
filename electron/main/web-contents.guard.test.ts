import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardWebContents, type GuardedContents } from './web-contents.guard.js';

type OpenHandler = (details: { url: string }) => { action: string };

/** A stand-in for Electron's WebContents: an event emitter with the window-open hook. */
class RecordingContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
}

function setup() {
  const contents = new RecordingContents();
  const opened: string[] = [];
  const logged: string[] = [];
  guardWebContents(contents as unknown as GuardedContents, {
    openExternal: async (url) => {
      opened.push(url);
    },
    log: (line) => logged.push(line),
  });
  return { contents, opened, logged };
}

function fire(contents: RecordingContents, name: string, url = ''): boolean {
  let prevented = false;
  contents.emit(name, { url, preventDefault: () => (prevented = true) });
  return prevented;
}

describe('guardWebContents', () => {
  it('refuses every <webview> attach', () => {
    const { contents, logged } = setup();
    expect(fire(contents, 'will-attach-webview')).toBe(true);
    expect(logged).toEqual(['refused a <webview>']);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s: stays on the app origin, anything else is cancelled',
    (name) => {
      const { contents } = setup();
      expect(fire(contents, name, 'app://coffer/index.html')).toBe(false);
      expect(fire(contents, name, 'https://example.com/')).toBe(true);
      expect(fire(contents, name, 'file:///etc/passwd')).toBe(true);
      expect(fire(contents, name, 'app://evil/index.html')).toBe(true);
    },
  );

  it('denies every new window; only an allowed https or mailto: link goes to the OS', () => {
    const { contents, opened } = setup();
    const handler = contents.openHandler;
    expect(handler).not.toBeNull();
    for (const url of [
      'https://example.com/invoice',
      'mailto:billing@example.com',
      'app://coffer/index.html',
      'http://example.com/',
      'https://user:pw@example.com/',
      'file:///etc/passwd',
    ]) {
      expect(handler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.com/invoice', 'mailto:billing@example.com']);
  });
});
