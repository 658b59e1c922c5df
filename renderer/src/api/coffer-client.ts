/**
 * The one `window.coffer` every screen uses. The desktop app's preload puts it on the
 * window; in web mode there is none, so it is built here over the page's WebSocket.
 */
import { buildCofferWindowApi, type CofferWindowApi } from '../../../shared/api/coffer-api.js';
import { connectWebTransport } from './web-transport.js';

declare global {
  interface Window {
    coffer?: CofferWindowApi;
  }
}

let api: CofferWindowApi | undefined;

export function coffer(): CofferWindowApi {
  if (api !== undefined) return api;
  if (window.coffer !== undefined) {
    api = window.coffer;
  } else {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const connection = connectWebTransport(`${scheme}//${window.location.host}/api`);
    api = buildCofferWindowApi(connection.transport, connection.events);
  }
  return api;
}
