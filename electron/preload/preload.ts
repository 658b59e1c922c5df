/**
 * The preload of every Coffer window (sandboxed, so it is bundled into one CommonJS file
 * that needs nothing but `electron`). It asks main for a MessagePort to the core, builds
 * `window.coffer` (the bridge: every method resolves with its result envelope, so a
 * refusal keeps its code across the context bridge) from the shared API table over that port, and exposes that object and
 * nothing else: no ipcRenderer, no send or invoke, no Node. Beside the API it carries
 * `osCheck`, which asks main about the OS's own check for the app lock (never reports one).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_EVENT_NAMES, type ApiEvent } from '../../shared/api/api-envelope.js';
import { buildCofferBridge, type CofferBridge } from '../../shared/api/coffer-api.js';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import type { DesktopCofferBridge } from '../../shared/app/os-check.js';
import { createOsCheckClient } from './os-check.client.js';
import { createPortClient, type WindowPort } from './port-client.js';

const client = createPortClient();

ipcRenderer.on(DESKTOP_IPC.port, (event) => {
  // Electron types the ports as DOM MessagePorts; this tsconfig has no DOM, so say which
  // part of one the client uses.
  const [port] = event.ports as unknown as WindowPort[];
  if (port !== undefined) client.attach(port);
});
ipcRenderer.send(DESKTOP_IPC.connect);

const osCheck = createOsCheckClient((request) => ipcRenderer.send(DESKTOP_IPC.osCheck, request));
ipcRenderer.on(DESKTOP_IPC.osCheckResult, (_event, reply: unknown) => osCheck.receive(reply));

const bridge = buildCofferBridge(client.transport, {
  subscribe(listener: (event: ApiEvent) => void) {
    const stops = API_EVENT_NAMES.map((name) =>
      client.onEvent(name, (data) => listener({ name, data })),
    );
    return () => {
      for (const stop of stops) stop();
    };
  },
});
const desktopBridge = Object.freeze({
  ...(bridge satisfies CofferBridge),
  osCheck: osCheck.bridge,
});
contextBridge.exposeInMainWorld('coffer', desktopBridge satisfies DesktopCofferBridge);
