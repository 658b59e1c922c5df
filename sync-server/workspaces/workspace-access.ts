import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

import { WORKSPACE_ACTIONS, can } from '../../shared/sync/workspace-roles.js';
import type { WorkspaceAction, WorkspaceRole } from '../../shared/sync/workspace-roles.js';
import { authOf } from '../http/auth-context.js';
import { HttpError, forbidden } from '../http/errors.js';
import type { Storage } from '../storage/storage.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Required on every route under /v1/workspaces/:id: the action of the shared role
     * matrix it performs. `installWorkspaceAccess` enforces it before the handler runs.
     */
    workspaceAction?: WorkspaceAction;
  }
  interface FastifySchema {
    /** The route's matrix action in the OpenAPI document. */
    'x-coffer-workspace-action'?: WorkspaceAction;
  }
  interface FastifyRequest {
    /** The workspace the request acts in and the caller's role there, once checked. */
    workspace?: { id: string; role: WorkspaceRole };
  }
}

/** The path prefix of every route that acts inside one workspace. */
export const WORKSPACE_ROUTE_PREFIX = '/v1/workspaces/:id';

export function isWorkspaceRoute(url: string): boolean {
  return url === WORKSPACE_ROUTE_PREFIX || url.startsWith(`${WORKSPACE_ROUTE_PREFIX}/`);
}

/** 404 for an unknown workspace and for one the caller is not a member of: ids cannot be probed. */
export const workspaceNotFound = (): HttpError =>
  new HttpError(404, 'WORKSPACE_NOT_FOUND', 'No such workspace.');

/**
 * 403 for a former member: the caller is not a member but holds sealed keys of the
 * workspace, which only a member ever gets. Their device crypto-shreds the workspace on
 * this answer; telling them is safe, since they know the id and were in it.
 */
export const memberRemoved = (): HttpError =>
  forbidden(
    'MEMBER_REMOVED',
    'You were removed from this workspace: its data on this device is to be deleted.',
  );

/** The workspace `installWorkspaceAccess` resolved; a workspace route without it is a bug. */
export function workspaceOf(request: FastifyRequest): { id: string; role: WorkspaceRole } {
  if (request.workspace === undefined) {
    throw new Error('workspaceOf() on a route without config.workspaceAction');
  }
  return request.workspace;
}

function routeName(route: Pick<RouteOptions, 'method' | 'url'>): string {
  return `${Array.isArray(route.method) ? route.method.join(',') : route.method} ${route.url}`;
}

/**
 * The one place workspace roles are enforced. Every route under /v1/workspaces/:id states
 * the matrix action it performs as `config.workspaceAction`; the server does not start
 * with one that does not (or that states one elsewhere). Before validation, so a
 * non-member learns nothing about the body a route expects:
 * - the caller is not a member of the workspace, or it does not exist → 404 WORKSPACE_NOT_FOUND;
 * - the caller was a member and was removed (memberRemoved) → 403 MEMBER_REMOVED;
 * - their role may not do the action (shared/sync/workspace-roles.ts) → 403 FORBIDDEN_ROLE;
 * - otherwise `request.workspace` holds the workspace id and the role.
 * Install on the root instance after the route levels and before any route plugin.
 */
export function installWorkspaceAccess(app: FastifyInstance, storage: Storage): void {
  app.addHook('onRoute', (route) => {
    const action = route.config?.workspaceAction;
    if (action === undefined) {
      if (!isWorkspaceRoute(route.url)) return;
      throw new Error(`${routeName(route)} declares no workspace action (config.workspaceAction)`);
    }
    if (!isWorkspaceRoute(route.url)) {
      throw new Error(
        `${routeName(route)} declares a workspace action outside ${WORKSPACE_ROUTE_PREFIX}`,
      );
    }
    if (!WORKSPACE_ACTIONS.includes(action)) {
      throw new Error(`${routeName(route)} has an unknown workspace action: ${String(action)}`);
    }
    if (route.config?.auth === 'none') {
      throw new Error(`${routeName(route)} is a workspace route without a session`);
    }
    if (route.schema !== undefined) {
      route.schema = { ...route.schema, 'x-coffer-workspace-action': action };
    }
  });

  app.addHook('preValidation', async (request) => {
    const action = request.routeOptions.config.workspaceAction;
    if (action === undefined) return;
    const { userId } = authOf(request);
    const workspaceId = (request.params as { id?: unknown }).id;
    if (typeof workspaceId !== 'string') throw workspaceNotFound();
    const member = await storage.workspaces.findMember(workspaceId, userId);
    if (member === null) {
      const held = await storage.keys.listWorkspaceKeys(workspaceId, userId);
      throw held.length > 0 ? memberRemoved() : workspaceNotFound();
    }
    request.workspace = { id: member.workspaceId, role: member.role };
    if (!can(member.role, action)) {
      throw forbidden(
        'FORBIDDEN_ROLE',
        `Your role (${member.role}) cannot do this in the workspace.`,
      );
    }
  });
}
