/**
 * Web mode: the built renderer and the same core the desktop app runs, served to a
 * browser tab on loopback. The launch token in the printed URL is swapped for an HttpOnly
 * SameSite=Strict cookie on the first visit; after that every request, the WebSocket
 * included, needs the cookie, a Host naming this server, and for the WebSocket an Origin
 * of a page this server served. `window.coffer` calls travel as JSON over `/api`.
 */
import { readFile, realpath } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';

import { CofferError } from '../../shared/errors/coffer-error.js';
import { createApiDispatcher } from '../core/api/api-dispatcher.js';
import { AppSession } from '../core/api/app-session.js';
import type { KeyStore } from '../core/vault/key-store.js';
import { ApiSocketHub } from './api-socket-hub.js';
import { cookieValues, isAllowedHost, isAllowedOrigin } from './request-guard.js';
import { lookUpStaticFile } from './static-files.js';
import { TOKEN_COOKIE, WEB_HEADERS, errorBody, tokenCookie } from './web-headers.js';
import { createWebToken, tokenMatches } from './web-token.js';

/** Largest WebSocket message: a receipt or a bank file travels base64 inside one call. */
export const MAX_API_MESSAGE_BYTES = 64 * 1024 * 1024;

export const API_PATH = '/api';

export interface WebServerOptions {
  vaultDir: string;
  keyStore: KeyStore;
  /** The renderer's build (`dist/renderer/`): index.html and its assets. */
  rendererDir: string;
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  /** The loopback address to listen on; 127.0.0.1 unless another 127.x address is given. */
  host?: string;
  maxMessageBytes?: number;
  /** Failures no caller anticipated, for the operator's log; never sent to the page. */
  onInternalError?: (error: unknown) => void;
  now?: () => number;
}

export interface WebServer {
  /** What the user opens: `http://localhost:PORT/?token=…`. */
  url: string;
  port: number;
  /** Stops serving, waits for running calls, then closes the vault. */
  close(): Promise<void>;
}

const LOOPBACK_V4 = /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_V4.test(host)) {
    throw new CofferError('INVALID_INPUT', 'Web mode listens on a loopback address (127.x) only');
  }
  const rendererRoot = await realpath(options.rendererDir).catch(() => {
    throw new CofferError('NOT_FOUND', 'The renderer build folder does not exist');
  });
  const onInternalError = options.onInternalError ?? (() => undefined);
  const token = createWebToken();
  const session = new AppSession({
    vaultDir: options.vaultDir,
    keyStore: options.keyStore,
    host: 'web',
    ...(options.now ? { now: options.now } : {}),
  });
  const hub = new ApiSocketHub(onInternalError);
  hub.useDispatcher(
    createApiDispatcher({ session, emit: (event) => hub.broadcast(event), onInternalError }),
  );
  let port = 0;

  const app = Fastify({
    // Fastify's request log would print every URL, the one carrying the token included.
    logger: false,
    forceCloseConnections: true,
    return503OnClosing: true,
    frameworkErrors: (error, request, reply) => {
      // An upgrade refused here never reached @fastify/websocket's hooks, which would
      // otherwise end its socket: Node leaves an upgraded socket to whoever took it.
      if (request.headers.upgrade !== undefined) {
        reply.raw.once('finish', () => request.raw.socket.destroy());
      }
      void sendFrameworkError(error, reply);
    },
  });

  // Registered before the hook below: its own onRequest hook marks upgrade requests
  // (`request.ws`), and it destroys the socket of an upgrade a hook refused.
  await app.register(websocket, {
    options: { maxPayload: options.maxMessageBytes ?? MAX_API_MESSAGE_BYTES },
    // ws has already sent its own close frame (1009 for an oversized message, 1002 for a
    // protocol error) before this runs; terminating here could drop that frame.
    errorHandler: (_error, socket) => {
      if (socket.readyState === 1) socket.close(1011, 'Coffer could not handle the connection');
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(WEB_HEADERS);
    if (!isAllowedHost(request.headers.host, port)) {
      return sendError(reply, 403, 'HOST_NOT_ALLOWED', 'Open Coffer at localhost or 127.0.0.1.');
    }
    const { pathname, query } = splitUrl(request.url);
    const given = query.get('token');
    if (given !== null) {
      if (!tokenMatches(token, given)) {
        return sendError(
          reply,
          401,
          'UNAUTHENTICATED',
          'This address holds an old or wrong token: open the one Coffer printed when it started.',
        );
      }
      query.delete('token');
      const rest = query.toString();
      return reply
        .code(303)
        .header('set-cookie', tokenCookie(token))
        .header('location', `${sameSitePath(pathname)}${rest === '' ? '' : `?${rest}`}`)
        .send();
    }
    if (!cookieValues(request.headers.cookie, TOKEN_COOKIE).some((v) => tokenMatches(token, v))) {
      return sendError(
        reply,
        401,
        'UNAUTHENTICATED',
        'Open the address Coffer printed when it started: it carries this launch’s token.',
      );
    }
    if (request.ws && pathname !== API_PATH) {
      return sendError(reply, 404, 'NOT_FOUND', 'No such socket.');
    }
    if (pathname === API_PATH && !isAllowedOrigin(request.headers.origin, port)) {
      return sendError(reply, 403, 'ORIGIN_NOT_ALLOWED', 'Only Coffer’s own page may connect.');
    }
    return undefined;
  });

  app.setNotFoundHandler(async (_request, reply) =>
    sendError(reply, 404, 'NOT_FOUND', 'Not found.'),
  );
  app.setErrorHandler(async (error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      onInternalError(error);
      return sendError(reply, 500, 'INTERNAL', 'Something went wrong inside Coffer.');
    }
    return sendError(reply, status, 'BAD_REQUEST', 'The request is not valid.');
  });

  app.route({
    method: 'GET',
    url: API_PATH,
    handler: async (_request, reply) =>
      sendError(reply, 426, 'UPGRADE_REQUIRED', 'The API speaks WebSocket only.'),
    wsHandler: (socket) => hub.attach(socket),
  });

  app.get('/*', async (request, reply) => {
    const { pathname } = splitUrl(request.url);
    const found = await lookUpStaticFile(rendererRoot, pathname);
    if (found.kind === 'refused') {
      return sendError(reply, 400, 'BAD_PATH', 'The path is not a file of the app.');
    }
    if (found.kind === 'missing') return sendError(reply, 404, 'NOT_FOUND', 'Not found.');
    return reply.type(found.contentType).send(await readFile(found.file));
  });

  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  port = (app.server.address() as AddressInfo).port;

  let closed: Promise<void> | null = null;
  return {
    url: `http://localhost:${port}/?token=${token}`,
    port,
    close: () => {
      closed ??= (async () => {
        await hub.close();
        await app.close();
        await session.stopSync();
        session.closeVault();
      })();
      return closed;
    },
  };
}

/** The raw path (never normalised: `..` must reach the resolver as sent) and the query. */
function splitUrl(url: string): { pathname: string; query: URLSearchParams } {
  const mark = url.indexOf('?');
  return mark === -1
    ? { pathname: url, query: new URLSearchParams() }
    : { pathname: url.slice(0, mark), query: new URLSearchParams(url.slice(mark + 1)) };
}

/** A Location of `//host/…` or `/\host` would send the browser to another site. */
function sameSitePath(pathname: string): string {
  return /^\/(?![/\\])[^\\]*$/.test(pathname) ? pathname : '/';
}

function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message));
}

/** Bad URL encoding and the like: answered before routing, so no hook has set headers. */
function sendFrameworkError(error: FastifyError, reply: FastifyReply): FastifyReply {
  reply.headers(WEB_HEADERS);
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
  return sendError(reply, status, 'BAD_REQUEST', 'The request could not be understood.');
}
