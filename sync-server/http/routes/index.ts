import type { FastifyInstance } from 'fastify';

import { accountsFor } from '../../accounts/accounts.js';
import type { ServerDeps } from '../../deps.js';
import { installRouteLevels } from '../route-levels.js';
import { auditRoutes } from './audit.routes.js';
import { deviceApprovalRoutes } from './device-approval.routes.js';
import { authRoutes } from './auth.routes.js';
import { healthRoutes } from './health.routes.js';
import { keyDirectoryRoutes } from './key-directory.routes.js';
import { invoiceNumberRoutes } from './invoice-number.routes.js';
import { meRoutes } from './me.routes.js';
import { mfaRoutes } from './mfa.routes.js';
import { openApiRoutes } from './openapi.routes.js';
import { accountsOptionsFor } from './request-context.js';
import type { RoutePlugin } from './route-plugin.js';
import { snapshotRoutes } from './snapshot.routes.js';
import { syncRoutes } from './sync.routes.js';
import { syncSocketRoutes } from './sync-socket.routes.js';
import { webauthnRoutes } from './webauthn.routes.js';
import { workspaceRoutes } from './workspace.routes.js';
import { workspaceAuditRoutes } from './workspace-audit.routes.js';
import { installWorkspaceHooks } from '../../workspaces/workspaces.js';

/**
 * Every route plugin, in registration order. A feature owner adds ONE import and ONE entry
 * (accounts: authRoutes, meRoutes; mfa: mfaRoutes, webauthnRoutes; audit: auditRoutes).
 * Every /v1 route states its access level as `config: { auth: 'none' | 'session' |
 * 'step-up' }` (route-levels.ts); the server does not start without it.
 */
const ROUTE_PLUGINS: readonly RoutePlugin[] = [
  healthRoutes,
  openApiRoutes,
  authRoutes,
  meRoutes,
  mfaRoutes,
  webauthnRoutes,
  auditRoutes,
  workspaceRoutes,
  workspaceAuditRoutes,
  syncRoutes,
  syncSocketRoutes,
  snapshotRoutes,
  keyDirectoryRoutes,
  invoiceNumberRoutes,
  deviceApprovalRoutes,
];

export async function registerRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  installRouteLevels(app, accountsFor(deps, accountsOptionsFor(app, deps)).auth);
  installWorkspaceHooks(app, deps);
  for (const plugin of ROUTE_PLUGINS) {
    await app.register(async (scope) => plugin(scope, deps));
  }
}
