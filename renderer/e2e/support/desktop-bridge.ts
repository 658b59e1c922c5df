/**
 * A stand-in for the desktop preload's `window.coffer`, for a page in web mode: every API
 * call goes to the real core over web mode's own WebSocket, exactly as the web transport
 * sends it, and `osCheck` answers as main would on a Mac with Touch ID. Its `unlock`
 * says "verified" without asking anyone: a page that forges that answer, which is what a
 * compromised renderer could do. The core must not care.
 */
import type { Page } from '@playwright/test';

export async function installDesktopBridge(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Message = { type: string; id?: number; result?: unknown; event?: unknown };
    let socket: WebSocket | undefined;
    let opened: Promise<void> | undefined;
    let nextId = 1;
    const pending = new Map<number, (result: unknown) => void>();
    const listeners = new Set<(event: unknown) => void>();
    const connect = (): Promise<void> => {
      if (opened !== undefined) return opened;
      const ws = new WebSocket(`ws://${window.location.host}/api`);
      socket = ws;
      ws.onmessage = (message: MessageEvent<string>) => {
        const data = JSON.parse(message.data) as Message;
        if (data.type === 'result' && data.id !== undefined) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        } else if (data.type === 'event') {
          for (const listener of listeners) listener(data.event);
        }
      };
      opened = new Promise((resolve) => ws.addEventListener('open', () => resolve()));
      return opened;
    };
    const call = async (service: string, method: string, input: unknown): Promise<unknown> => {
      await connect();
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket?.send(JSON.stringify({ id, service, method, input }));
      });
    };
    const osCheck = {
      availability: () => Promise.resolve({ kind: 'touch-id' }),
      unlock: () => {
        (window as unknown as { forgedOsUnlocks: number }).forgedOsUnlocks += 1;
        return Promise.resolve({ ok: true, value: null });
      },
    };
    (window as unknown as { forgedOsUnlocks: number }).forgedOsUnlocks = 0;
    const events = {
      subscribe: (listener: (event: unknown) => void) => {
        void connect();
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    (window as unknown as { coffer: unknown }).coffer = new Proxy(
      {},
      {
        get: (_target, service) => {
          if (service === 'osCheck') return osCheck;
          if (service === 'events') return events;
          if (typeof service !== 'string') return undefined;
          return new Proxy(
            {},
            {
              get: (_group, method) =>
                typeof method === 'string'
                  ? (input: unknown) => call(service, method, input)
                  : undefined,
            },
          );
        },
      },
    );
  });
}
