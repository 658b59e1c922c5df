import type { FastifyInstance } from 'fastify';

import { accountsFor } from '../accounts/accounts.js';
import type { ServerDeps } from '../deps.js';
import { InviteService } from './invite.service.js';
import { installMfaPolicy } from './mfa-policy.js';
import { installWorkspaceAccess } from './workspace-access.js';
import { WorkspaceService } from './workspace.service.js';

/** The workspace services of one server. */
export interface Workspaces {
  workspaces: WorkspaceService;
  invites: InviteService;
}

const wired = new WeakMap<ServerDeps, Workspaces>();

/** The same services for every caller with the same deps. */
export function workspacesFor(deps: ServerDeps): Workspaces {
  let built = wired.get(deps);
  if (built === undefined) {
    const accounts = accountsFor(deps);
    built = {
      workspaces: new WorkspaceService({
        storage: deps.storage,
        clock: deps.clock,
        emailOf: (userId) => accounts.accounts.emailOf(userId),
        methodsFor: (userId) => accounts.mfa.gate.methodsFor(userId),
      }),
      invites: new InviteService({
        storage: deps.storage,
        secrets: deps.secrets,
        clock: deps.clock,
      }),
    };
    const { workspaces } = built;
    accounts.accounts.onDelete((userId) => workspaces.releaseUser(userId));
    wired.set(deps, built);
  }
  return built;
}

/**
 * The workspace checks every request goes through, on the root instance after the route
 * levels and before the route plugins: the "require 2FA" policy (mfa-policy.ts), then
 * membership and role (workspace-access.ts).
 */
export function installWorkspaceHooks(app: FastifyInstance, deps: ServerDeps): void {
  const accounts = accountsFor(deps);
  // Wires the services now, so account deletion consults workspaces from the first request.
  workspacesFor(deps);
  installMfaPolicy(app, {
    storage: deps.storage,
    methodsFor: (userId) => accounts.mfa.gate.methodsFor(userId),
  });
  installWorkspaceAccess(app, deps.storage);
}
