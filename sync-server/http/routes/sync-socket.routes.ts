import type { FastifyInstance, FastifyRequest } from 'fastify';
import '@fastify/websocket';

import type { ServerDeps } from '../../deps.js';
import type { SyncSocket } from '../../sync/sync-socket-hub.js';
import { workspaceOf } from '../../workspaces/workspace-access.js';
import { authOf } from '../auth-context.js';
import { HttpError } from '../errors.js';
import { errorResponseSchema } from '../schemas.js';
import { workspaceParams } from './workspace.schemas.js';

const upgradeRequired = (): HttpError =>
  new HttpError(
    426,
    'UPGRADE_REQUIRED',
    'This route is a WebSocket: send the request with Upgrade: websocket.',
    { upgrade: 'websocket' },
  );

/**
 * The sync WebSocket: the server announces each new seq of the workspace as
 * `{ "type": "seq", "seq": n, "epoch": "…" }` and the client pulls. Authenticated and
 * checked against the role matrix (`read`) by the same hooks as every route, before the
 * upgrade: a refusal is the usual JSON error and no socket is opened. Bounds, heartbeat and
 * closing on revocation or removal: sync/sync-socket-hub.ts.
 */
export async function syncSocketRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  deps.syncSockets.start();
  app.addHook('onClose', async () => deps.syncSockets.stop());

  app.route({
    method: 'GET',
    url: '/v1/workspaces/:id/sync/ws',
    config: { auth: 'session', workspaceAction: 'read' },
    schema: {
      summary: 'WebSocket announcing new seqs of the workspace (every role)',
      description:
        'Upgrade with the session in the Authorization header (never in the URL, where proxies ' +
        'and logs keep it). Messages: {"type":"seq","seq":n,"epoch":"…"} after each push that ' +
        'committed changes; then pull. The socket is one-way: a client message closes it ' +
        '(4400 CLIENT_MESSAGES_REFUSED). Close codes: 4401 SESSION_REVOKED / SESSION_EXPIRED, ' +
        '4404 WORKSPACE_NOT_FOUND (removed from the workspace), 4429 TOO_MANY_SOCKETS_FOR_SESSION ' +
        '/ TOO_MANY_SOCKETS_ON_SERVER, 1001 SERVER_SHUTTING_DOWN. Without an upgrade: 426.',
      tags: ['sync'],
      params: workspaceParams,
      response: {
        401: errorResponseSchema,
        403: errorResponseSchema,
        404: errorResponseSchema,
        426: errorResponseSchema,
      },
    },
    handler: async () => {
      throw upgradeRequired();
    },
    wsHandler: (socket: SyncSocket, request: FastifyRequest) => {
      const { userId, sessionId } = authOf(request);
      deps.syncSockets.accept(socket, { userId, sessionId, workspaceId: workspaceOf(request).id });
    },
  });
}
