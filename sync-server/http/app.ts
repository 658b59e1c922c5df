import { randomUUID } from 'node:crypto';
import type { ServerOptions as HttpsServerOptions } from 'node:https';

import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';

import { installAuditHooks } from '../audit/audit-hooks.js';
import type { ServerDeps } from '../deps.js';
import { SERVER_VERSION } from '../version.js';
import { answerClientError } from './client-error.js';
import { errorBody, formatSchemaErrors, mapError } from './error-mapping.js';
import { HttpError } from './errors.js';
import { registerRoutes } from './routes/index.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { buildValidator } from './validator.js';

export interface BuildAppOptions {
  /** TLS key and certificate; the server then speaks TLS 1.3 only. Omit for inject()-only tests. */
  tls?: { key: string; cert: string };
  /** Sees every route as it is registered (the OpenAPI coverage test collects them). */
  onRoute?: (route: RouteOptions) => void;
}

/** TLS settings every HTTPS listener uses. */
export function httpsOptions(tls: { key: string; cert: string }): HttpsServerOptions {
  return { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.3' };
}

/**
 * The HTTP application: security headers, request ids, body limit, strict JSON schemas,
 * one error format, the OpenAPI document and every route plugin (routes/index.ts).
 */
export async function buildApp(
  deps: ServerDeps,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.tls ? { https: httpsOptions(options.tls) } : {}),
    loggerInstance: deps.logger,
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    exposeHeadRoutes: false,
    // Fastify's own 503 while closing is a fixed body of another shape without our headers:
    // the onRequest hook below answers those requests instead.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    connectionTimeout: 30_000,
    keepAliveTimeout: 30_000,
    requestTimeout: 30_000,
    routerOptions: { maxParamLength: 256 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    schemaErrorFormatter: formatSchemaErrors,
    clientErrorHandler: answerClientError,
    // Bad URL encoding and over-long path parameters: Fastify would answer these itself,
    // in its own shape, quoting the URL.
    frameworkErrors: answerFrameworkError,
    schemaController: { compilersFactory: { buildValidator } },
  }) as unknown as FastifyInstance;

  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  // JSON only: without the text/plain parser every other media type answers 415.
  app.removeContentTypeParser('text/plain');

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', request.id);
    // Requests that still arrive on open connections while close() waits for in-flight ones.
    if (closing) throw shuttingDown();
  });

  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.observeRequest(
      request.routeOptions.url ?? null,
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    if (deps.audit === undefined) return;
    try {
      await deps.audit.record(request, reply);
    } catch (error) {
      request.log.error({ err: error }, 'audit record failed');
    }
  });

  app.setErrorHandler(async (error, request, reply) => sendError(error, request, reply));

  app.setNotFoundHandler(async (_request, reply) =>
    reply
      .code(404)
      .send(
        errorBody({ statusCode: 404, code: 'NOT_FOUND', message: 'No such route.', headers: {} }),
      ),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Coffer sync server',
        description: 'Accounts, sessions, two-factor authentication and sync for Coffer.',
        version: SERVER_VERSION,
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
    },
  });

  // Before every route: an upgrade request to a route without a socket handler is refused.
  // The sync socket is one-way, so a client frame over 1 KiB is a protocol error outright.
  await app.register(websocket, { options: { maxPayload: 1024 } });
  await installAuditHooks(app, deps);
  await registerRoutes(app, deps);
  return app;
}

const shuttingDown = (): HttpError =>
  new HttpError(503, 'SHUTTING_DOWN', 'The server is shutting down; try again shortly.', {
    connection: 'close',
  });

/** Every error answer: the mapped status and `{ error: { code, message } }`, security headers. */
function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(error);
  // INTERNAL is what nothing anticipated: log it in full. A specific code (a 4xx, a 503
  // while shutting down or when mail cannot be sent) was logged where it arose, if at all.
  if (mapped.code === 'INTERNAL') {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: mapped.code, statusCode: mapped.statusCode }, 'request rejected');
  }
  reply.headers(SECURITY_HEADERS);
  reply.header('x-request-id', request.id);
  reply.headers(mapped.headers);
  return reply
    .code(mapped.statusCode)
    .type('application/json; charset=utf-8')
    .send(errorBody(mapped));
}

/** Fastify's `frameworkErrors`: called before routing, so no hook has run for the request. */
function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void sendError(error, request, reply);
}
