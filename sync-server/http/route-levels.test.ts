import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SessionService, STEP_UP_MS } from '../accounts/session.service.js';
import { ManualClock } from '../clock.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { createAuthHooks } from './auth-context.js';
import type { AuthHooks } from './auth-context.js';
import { installRouteLevels } from './route-levels.js';

// The level check on a bare Fastify instance with the real session hooks over an in-memory
// database; sync-server/test/route-table.test.ts checks the real server's route table.

let storage: SqliteStorage;
let clock: ManualClock;
let sessions: SessionService;
let hooks: AuthHooks;
let app: FastifyInstance;

beforeEach(async () => {
  storage = openSqliteStorage(':memory:');
  clock = new ManualClock();
  sessions = new SessionService({ storage, clock });
  hooks = createAuthHooks(sessions, clock);
  app = Fastify({ exposeHeadRoutes: false });
  installRouteLevels(app, hooks);
  await storage.users.create({
    id: 'u1',
    emailLookup: 'lookup-u1',
    emailSealed: 'sealed',
    passwordHash: 'hash',
    createdAt: clock.now(),
    updatedAt: clock.now(),
    passwordChangedAt: clock.now(),
  });
});
afterEach(async () => {
  await app.close();
  await storage.close();
});

const context = { deviceName: 'd', platform: 'linux', ip: '127.0.0.1', userAgent: '' };

describe('installRouteLevels', () => {
  it('refuses to start when a /v1 route declares no level', async () => {
    // A route plugin, as the server registers them (routes/index.ts awaits each one).
    await expect(
      app.register(async (scope) => {
        scope.get('/v1/forgotten', async () => ({ secret: true }));
      }),
    ).rejects.toThrow(/GET \/v1\/forgotten declares no access level/);
  });

  it('refuses an unknown level and auth hooks added by hand', async () => {
    expect(() =>
      app.get('/v1/odd', { config: { auth: 'admin' as never } }, async () => ({})),
    ).toThrow(/unknown access level: admin/);
    expect(() =>
      app.get(
        '/v1/twice',
        { config: { auth: 'session' }, onRequest: hooks.requireSession },
        async () => ({}),
      ),
    ).toThrow(/adds auth hooks itself/);
  });

  it('leaves routes outside /v1 alone', async () => {
    app.get('/elsewhere', async () => ({ ok: true }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/elsewhere' })).statusCode).toBe(200);
  });

  it('derives the hooks from the level, ahead of the route’s own onRequest hooks', async () => {
    const reached: string[] = [];
    const own = async (): Promise<void> => {
      reached.push('own hook');
    };
    for (const level of ['none', 'session', 'step-up'] as const) {
      app.post(
        `/v1/${level}`,
        { config: { auth: level }, onRequest: own, schema: { summary: level } },
        async () => ({ level }),
      );
    }
    await app.ready();
    const { token, sessionId } = await sessions.issue('u1', context);
    const call = async (level: string, bearer?: string): Promise<number> =>
      (
        await app.inject({
          method: 'POST',
          url: `/v1/${level}`,
          headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
        })
      ).statusCode;

    expect(await call('none')).toBe(200);
    expect(reached).toEqual(['own hook']);
    expect(await call('session')).toBe(401);
    expect(await call('step-up')).toBe(401);
    // The anonymous calls never reached the route's own hook.
    expect(reached).toEqual(['own hook']);

    expect(await call('session', token)).toBe(200);
    expect(await call('step-up', token)).toBe(403);
    await sessions.elevate(sessionId);
    expect(await call('step-up', token)).toBe(200);
    clock.advance(STEP_UP_MS);
    expect(await call('step-up', token)).toBe(403);
  });
});
