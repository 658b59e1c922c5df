import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { AccountsOptions } from '../../accounts/accounts.js';
import { cleanUserAgent, platformFromUserAgent } from '../../accounts/platform.js';
import type { SessionContext } from '../../accounts/session.service.js';
import type { ServerDeps } from '../../deps.js';

/** Where a sign-in comes from: the device the client names, and what the request shows. */
export function sessionContextOf(
  request: FastifyRequest,
  body: { deviceName: string; platform?: string | undefined },
): SessionContext {
  const userAgent = cleanUserAgent(request.headers['user-agent']);
  return {
    deviceName: body.deviceName,
    platform: body.platform ?? platformFromUserAgent(userAgent),
    ip: request.ip,
    userAgent,
  };
}

/** AccountsOptions for a route plugin: the real HTTPS port once the server listens. */
export function accountsOptionsFor(app: FastifyInstance, deps: ServerDeps): AccountsOptions {
  return {
    listeningPort: () => {
      const address = app.server.address();
      return address !== null && typeof address === 'object' ? address.port : deps.config.port;
    },
  };
}
