/**
 * The one API every screen uses. The desktop app's preload puts a bridge on the window
 * (`window.coffer`); in web mode there is none, so one is built here over the page's
 * WebSocket. Either way refusals reject with ApiError and their code.
 */
// From the names-only builders, not coffer-api.ts: the page starts without the schemas.
import { buildCofferBridge, cofferApiFromBridge } from '../../../shared/api/coffer-api-bridge.js';
import type { CofferBridge, CofferWindowApi } from '../../../shared/api/coffer-api.js';
import { connectWebTransport } from './web-transport.js';

declare global {
  interface Window {
    coffer?: CofferBridge;
  }
}

let api: CofferWindowApi | undefined;

export function coffer(): CofferWindowApi {
  if (api !== undefined) return api;
  if (window.coffer !== undefined) {
    api = cofferApiFromBridge(window.coffer);
  } else {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const connection = connectWebTransport(`${scheme}//${window.location.host}/api`);
    api = cofferApiFromBridge(buildCofferBridge(connection.transport, connection.events));
  }
  return api;
}
