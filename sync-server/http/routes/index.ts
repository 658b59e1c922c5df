import type { FastifyInstance } from 'fastify';

import type { ServerDeps } from '../../deps.js';
import { auditRoutes } from './audit.routes.js';
import { authRoutes } from './auth.routes.js';
import { healthRoutes } from './health.routes.js';
import { meRoutes } from './me.routes.js';
import { mfaRoutes } from './mfa.routes.js';
import { openApiRoutes } from './openapi.routes.js';
import type { RoutePlugin } from './route-plugin.js';
import { webauthnRoutes } from './webauthn.routes.js';

/**
 * Every route plugin, in registration order. A feature owner adds ONE import and ONE entry
 * (accounts: authRoutes, meRoutes; mfa: mfaRoutes, webauthnRoutes; audit: auditRoutes).
 */
const ROUTE_PLUGINS: readonly RoutePlugin[] = [
  healthRoutes,
  openApiRoutes,
  authRoutes,
  meRoutes,
  mfaRoutes,
  webauthnRoutes,
  auditRoutes,
];

export async function registerRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  for (const plugin of ROUTE_PLUGINS) {
    await app.register(async (scope) => plugin(scope, deps));
  }
}
