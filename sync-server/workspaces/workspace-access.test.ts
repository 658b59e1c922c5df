import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SessionService } from '../accounts/session.service.js';
import { ManualClock } from '../clock.js';
import { createAuthHooks } from '../http/auth-context.js';
import { installRouteLevels } from '../http/route-levels.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { installWorkspaceAccess } from './workspace-access.js';

// The start-up checks on a bare Fastify instance; sync-server/test/workspaces-role-matrix.test.ts
// walks the real server's routes.

let storage: SqliteStorage;
let app: FastifyInstance;

beforeEach(() => {
  storage = openSqliteStorage(':memory:');
  const clock = new ManualClock();
  app = Fastify({ exposeHeadRoutes: false });
  installRouteLevels(app, createAuthHooks(new SessionService({ storage, clock }), clock));
  installWorkspaceAccess(app, storage);
});
afterEach(async () => {
  await app.close();
  await storage.close();
});

describe('installWorkspaceAccess', () => {
  it('refuses to start when a workspace route declares no action', async () => {
    await expect(
      app.register(async (scope) => {
        scope.get('/v1/workspaces/:id/forgotten', { config: { auth: 'session' } }, async () => ({
          secret: true,
        }));
      }),
    ).rejects.toThrow(/GET \/v1\/workspaces\/:id\/forgotten declares no workspace action/);
  });

  it('refuses an unknown action, an action outside a workspace, and a workspace route without a session', () => {
    expect(() =>
      app.get(
        '/v1/workspaces/:id/odd',
        { config: { auth: 'session', workspaceAction: 'owner' as never } },
        async () => ({}),
      ),
    ).toThrow(/unknown workspace action: owner/);
    expect(() =>
      app.get(
        '/v1/elsewhere',
        { config: { auth: 'session', workspaceAction: 'read' } },
        async () => ({}),
      ),
    ).toThrow(/declares a workspace action outside/);
    expect(() =>
      app.get(
        '/v1/workspaces/:id/open',
        { config: { auth: 'none', workspaceAction: 'read' } },
        async () => ({}),
      ),
    ).toThrow(/without a session/);
  });

  it('leaves the list and create routes (no :id) alone', async () => {
    app.get('/v1/workspaces', { config: { auth: 'none' } }, async () => ({ ok: true }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/v1/workspaces' })).statusCode).toBe(200);
  });
});
