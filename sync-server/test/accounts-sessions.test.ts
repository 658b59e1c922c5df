import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsFor } from '../accounts/accounts.js';
import {
  LAST_SEEN_RESOLUTION_MS,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_RETENTION_MS,
} from '../accounts/session.service.js';
import { login, register, startAccountsServer, stepUp } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const DAY = 24 * 60 * 60 * 1000;

interface ErrorJson {
  error: { code: string };
}

interface SessionsJson {
  sessions: {
    id: string;
    deviceName: string;
    platform: string;
    ip: string;
    createdAt: string;
    lastSeenAt: string;
    current: boolean;
  }[];
}

async function codeOf(token: string): Promise<string | number> {
  const response = await server.request<ErrorJson>('GET', '/v1/me/sessions', { token });
  return response.status === 200 ? 200 : response.json.error.code;
}

describe('sessions', () => {
  it('lists the active sessions with device, platform, IP, times and which is current', async () => {
    const account = await register(server, { deviceName: 'Laptop' });
    const phone = await login(server, account.email, account.password, 'Phone');
    const response = await server.request<SessionsJson>('GET', '/v1/me/sessions', {
      token: phone.token,
    });
    expect(response.status).toBe(200);
    const byId = new Map(response.json.sessions.map((s) => [s.id, s]));
    expect(byId.size).toBe(2);
    expect(byId.get(phone.sessionId)).toMatchObject({ deviceName: 'Phone', current: true });
    expect(byId.get(account.sessionId)).toMatchObject({
      deviceName: 'Laptop',
      current: false,
      ip: '127.0.0.1',
    });
    expect(new Date(byId.get(phone.sessionId)?.createdAt ?? '').getTime()).toBe(server.clock.now());
  });

  it('stores only the SHA-256 of the token', async () => {
    const account = await register(server);
    const stored = await server.deps.storage.sessions.findById(account.sessionId);
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(account.token);
  });

  it('DELETE /v1/me/sessions/:id ends one of your sessions: SESSION_REVOKED on its next request', async () => {
    const account = await register(server);
    const other = await login(server, account.email, account.password);
    await stepUp(server, account.token, account.password);
    const response = await server.request('DELETE', `/v1/me/sessions/${other.sessionId}`, {
      token: account.token,
    });
    expect(response.status).toBe(204);
    expect(await codeOf(other.token)).toBe('SESSION_REVOKED');
    expect(await codeOf(account.token)).toBe(200);
    const list = await server.request<SessionsJson>('GET', '/v1/me/sessions', {
      token: account.token,
    });
    expect(list.json.sessions.map((s) => s.id)).toEqual([account.sessionId]);
  });

  it("answers 404 for another user's session id and leaves it alone", async () => {
    const alice = await register(server);
    const bob = await register(server);
    await stepUp(server, alice.token, alice.password);
    const response = await server.request<ErrorJson>('DELETE', `/v1/me/sessions/${bob.sessionId}`, {
      token: alice.token,
    });
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe('SESSION_NOT_FOUND');
    expect(await codeOf(bob.token)).toBe(200);
    const unknown = await server.request<ErrorJson>(
      'DELETE',
      '/v1/me/sessions/00000000-0000-7000-8000-000000000000',
      { token: alice.token },
    );
    expect(unknown.status).toBe(404);
    const malformed = await server.request<ErrorJson>('DELETE', '/v1/me/sessions/not-an-id', {
      token: alice.token,
    });
    expect(malformed.status).toBe(400);
  });

  it('POST /v1/me/sessions/revoke-others ends every other session and says how many', async () => {
    const account = await register(server, { deviceName: 'Laptop' });
    const phone = await login(server, account.email, account.password, 'Phone');
    const tablet = await login(server, account.email, account.password, 'Tablet');
    const stranger = await register(server);
    await stepUp(server, account.token, account.password);

    const response = await server.request<{ endedSessions: number }>(
      'POST',
      '/v1/me/sessions/revoke-others',
      { token: account.token },
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ endedSessions: 2 });
    expect(await codeOf(phone.token)).toBe('SESSION_REVOKED');
    expect(await codeOf(tablet.token)).toBe('SESSION_REVOKED');
    expect(await codeOf(account.token)).toBe(200);
    // Another account's sessions are not touched.
    expect(await codeOf(stranger.token)).toBe(200);

    const again = await server.request<{ endedSessions: number }>(
      'POST',
      '/v1/me/sessions/revoke-others',
      { token: account.token, body: {} },
    );
    expect(again.json).toEqual({ endedSessions: 0 });
  });

  it('POST /v1/auth/logout ends the current session', async () => {
    const account = await register(server);
    const response = await server.request('POST', '/v1/auth/logout', { token: account.token });
    expect(response.status).toBe(204);
    expect(await codeOf(account.token)).toBe('SESSION_REVOKED');
  });

  it('answers UNAUTHENTICATED with no token, a malformed token or an unknown token', async () => {
    const none = await server.request<ErrorJson>('GET', '/v1/me/sessions');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('UNAUTHENTICATED');
    expect(await codeOf('short')).toBe('UNAUTHENTICATED');
    expect(await codeOf('A'.repeat(43))).toBe('UNAUTHENTICATED');
    const basic = await server.request<ErrorJson>('GET', '/v1/me/sessions', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(basic.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('ends a session after 14 idle days (SESSION_EXPIRED), and activity keeps it alive', async () => {
    const idle = await register(server);
    const active = await register(server);
    server.clock.advance(SESSION_IDLE_MS - DAY);
    expect(await codeOf(active.token)).toBe(200);
    server.clock.advance(2 * DAY);
    expect(await codeOf(idle.token)).toBe('SESSION_EXPIRED');
    expect(await codeOf(active.token)).toBe(200);
  });

  it('ends a session 90 days after sign-in however active it is', async () => {
    const account = await register(server);
    for (let elapsed = 0; elapsed + 10 * DAY < SESSION_ABSOLUTE_MS; elapsed += 10 * DAY) {
      server.clock.advance(10 * DAY);
      expect(await codeOf(account.token)).toBe(200);
    }
    server.clock.set(
      (await server.deps.storage.sessions.findById(account.sessionId))!.createdAt +
        SESSION_ABSOLUTE_MS,
    );
    expect(await codeOf(account.token)).toBe('SESSION_EXPIRED');
  });

  it('writes last seen at most once a minute', async () => {
    const account = await register(server);
    const created = server.clock.now();
    server.clock.advance(LAST_SEEN_RESOLUTION_MS - 1000);
    await codeOf(account.token);
    let stored = await server.deps.storage.sessions.findById(account.sessionId);
    expect(stored?.lastSeenAt).toBe(created);
    server.clock.advance(2000);
    await codeOf(account.token);
    stored = await server.deps.storage.sessions.findById(account.sessionId);
    expect(stored?.lastSeenAt).toBe(server.clock.now());
  });

  it('keeps ended sessions for the retention period, then prunes them', async () => {
    const account = await register(server);
    await server.request('POST', '/v1/auth/logout', { token: account.token });
    const sessions = accountsFor(server.deps).sessions;
    server.clock.advance(SESSION_RETENTION_MS - DAY);
    await sessions.pruneEnded();
    expect(await codeOf(account.token)).toBe('SESSION_REVOKED');
    server.clock.advance(2 * DAY);
    expect(await sessions.pruneEnded()).toBeGreaterThan(0);
    expect(await codeOf(account.token)).toBe('UNAUTHENTICATED');
  });
});
