/**
 * The preload of every Coffer window (sandboxed, so it is bundled into one CommonJS file
 * that needs nothing but `electron`). It asks main for a MessagePort to the core, builds
 * `window.coffer` from the shared API table over that port, and exposes that object and
 * nothing else: no ipcRenderer, no send or invoke, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildCofferApi, type CofferApi } from '../../shared/api/coffer-api.js';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import { createPortClient, type WindowPort } from './port-client.js';

const client = createPortClient();

ipcRenderer.on(DESKTOP_IPC.port, (event) => {
  // Electron types the ports as DOM MessagePorts; this tsconfig has no DOM, so say which
  // part of one the client uses.
  const [port] = event.ports as unknown as WindowPort[];
  if (port !== undefined) client.attach(port);
});
ipcRenderer.send(DESKTOP_IPC.connect);

const api = buildCofferApi(client.transport);
contextBridge.exposeInMainWorld('coffer', api satisfies CofferApi);
