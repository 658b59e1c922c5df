import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SESSION_IDLE_MS } from '../accounts/session.service.js';
import { SOCKET_CLOSE } from '../sync/sync-socket-hub.js';
import { login, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { openSyncSocket, opened } from './support/sync-socket-client.js';
import { push, randomEnvelope } from './sync-support.js';
import { adminWithWorkspace, elevate, joinAs } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

let server: AccountsTestServer;
let workspaceId: string;
let otherWorkspaceId: string;
let admin: User;
let outsider: User;

beforeAll(async () => {
  // The heartbeat never fires by itself here: each test runs it (and the re-check) itself.
  server = await startAccountsServer({
    syncSocketLimits: { perSession: 2, perServer: 1_000, heartbeatMs: 3_600_000 },
  });
  const home = await adminWithWorkspace(server, 'home');
  workspaceId = home.workspaceId;
  admin = home.admin;
  await elevate(server, admin);
  const other = await adminWithWorkspace(server, 'elsewhere');
  otherWorkspaceId = other.workspaceId;
  outsider = other.admin;
});
afterAll(async () => server.close());

describe('sync WebSocket', () => {
  it("announces another device's push to a member and to a viewer, seq and epoch only", async () => {
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
    const memberSocket = opened(await openSyncSocket(server, workspaceId, member.token));
    const viewerSocket = opened(await openSyncSocket(server, workspaceId, viewer.token));
    // The other workspace's listener must hear nothing of this push.
    const elsewhere = opened(await openSyncSocket(server, otherWorkspaceId, outsider.token));

    const started = performance.now();
    const pushed = await push(server, admin.token, workspaceId, [
      randomEnvelope(),
      randomEnvelope(),
    ]);
    const heard = await memberSocket.nextMessage();
    const latencyMs = performance.now() - started;
    process.stdout.write(`sync socket: push → announcement in ${latencyMs.toFixed(1)} ms\n`);

    expect(pushed.status, pushed.text).toBe(200);
    const newest = Math.max(...pushed.json.results.map((result) => result.seq ?? 0));
    expect(heard).toEqual({ type: 'seq', seq: newest, epoch: pushed.json.epoch });
    expect(await viewerSocket.nextMessage()).toEqual(heard);

    // A push of the other workspace reaches its own listener only; by then this one would
    // have had the first push's announcement, had it been sent there.
    const theirs = await push(server, outsider.token, otherWorkspaceId, [randomEnvelope()]);
    expect(await elsewhere.nextMessage()).toMatchObject({ type: 'seq', epoch: theirs.json.epoch });
    expect(elsewhere.messages).toHaveLength(1);
    expect(memberSocket.messages).toHaveLength(1);

    for (const socket of [memberSocket, viewerSocket, elsewhere]) socket.client.close();
  });

  it('a push whose changes were all refused announces nothing', async () => {
    const listener = opened(await openSyncSocket(server, workspaceId, admin.token));
    const change = randomEnvelope();
    expect((await push(server, admin.token, workspaceId, [change])).status).toBe(200);
    const first = await listener.nextMessage();
    // The same id with other bytes: rejected, nothing new in the log.
    const conflicting = { ...randomEnvelope(), id: change.id };
    const refused = await push(server, admin.token, workspaceId, [conflicting]);
    expect(refused.json.results[0]?.status).toBe('rejected');
    const next = await push(server, admin.token, workspaceId, [randomEnvelope()]);
    expect(await listener.nextMessage()).toMatchObject({ seq: next.json.results[0]?.seq });
    expect(listener.messages.map((message) => message.seq)).toEqual([
      first.seq,
      next.json.results[0]?.seq,
    ]);
    listener.client.close();
  });

  it('refuses before the upgrade: no token or one in the URL 401, non-member and foreign id 404, plain GET 426', async () => {
    const noToken = await openSyncSocket(server, workspaceId, undefined);
    expect([noToken.status, 'json' in noToken && noToken.json.error?.code]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    // A token in the URL is not a credential here (URLs end up in logs).
    const inUrl = await openSyncSocket(server, workspaceId, undefined, {
      query: `token=${admin.token}&access_token=${admin.token}`,
    });
    expect([inUrl.status, 'json' in inUrl && inUrl.json.error?.code]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    const stranger = await openSyncSocket(server, workspaceId, outsider.token);
    expect([stranger.status, 'json' in stranger && stranger.json.error?.code]).toEqual([
      404,
      'WORKSPACE_NOT_FOUND',
    ]);
    const foreign = await openSyncSocket(server, otherWorkspaceId, admin.token);
    expect([foreign.status, 'json' in foreign && foreign.json.error?.code]).toEqual([
      404,
      'WORKSPACE_NOT_FOUND',
    ]);
    const plain = await server.request<{ error: { code: string } }>(
      'GET',
      `/v1/workspaces/${workspaceId}/sync/ws`,
      { token: admin.token },
    );
    expect([plain.status, plain.json.error.code]).toEqual([426, 'UPGRADE_REQUIRED']);
    expect(server.deps.syncSockets.size).toBe(0);
  });

  it("closes a revoked session's socket with 4401 SESSION_REVOKED, and only that one", async () => {
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const laptop = opened(await openSyncSocket(server, workspaceId, member.token));
    const phone = await login(server, member.email, member.password, 'Phone');
    const phoneSocket = opened(await openSyncSocket(server, workspaceId, phone.token));

    const revoked = await server.request(
      'DELETE',
      `/v1/workspaces/${workspaceId}/sessions/${member.sessionId}`,
      { token: admin.token },
    );
    expect(revoked.status, revoked.text).toBe(204);
    await server.deps.syncSockets.recheck();

    expect(await laptop.closed).toEqual({ code: 4401, reason: 'SESSION_REVOKED' });
    const next = await push(server, admin.token, workspaceId, [randomEnvelope()]);
    expect(await phoneSocket.nextMessage()).toMatchObject({ seq: next.json.results[0]?.seq });
    // And the revoked token cannot open a new one.
    const again = await openSyncSocket(server, workspaceId, member.token);
    expect([again.status, 'json' in again && again.json.error?.code]).toEqual([
      401,
      'SESSION_REVOKED',
    ]);
    phoneSocket.client.close();
  });

  it('closes the socket of a member removed from the workspace with 4404', async () => {
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const socket = opened(await openSyncSocket(server, workspaceId, member.token));
    const removed = await server.request(
      'DELETE',
      `/v1/workspaces/${workspaceId}/members/${member.user.id}`,
      { token: admin.token },
    );
    expect(removed.status, removed.text).toBe(204);
    await server.deps.syncSockets.recheck();
    expect(await socket.closed).toEqual({ code: 4404, reason: 'WORKSPACE_NOT_FOUND' });
  });

  it('a client message closes only that socket (4400); the server keeps serving', async () => {
    const chatty = opened(await openSyncSocket(server, workspaceId, admin.token));
    const quiet = await joinAs(server, admin.token, workspaceId, 'viewer');
    const listener = opened(await openSyncSocket(server, workspaceId, quiet.token));
    chatty.client.send('{"type":"push","changes":[]}');
    expect(await chatty.closed).toEqual({ code: 4400, reason: 'CLIENT_MESSAGES_REFUSED' });
    const next = await push(server, admin.token, workspaceId, [randomEnvelope()]);
    expect(await listener.nextMessage()).toMatchObject({ seq: next.json.results[0]?.seq });
    listener.client.close();
  });

  it('drops a peer that does not answer pings', async () => {
    const user = await joinAs(server, admin.token, workspaceId, 'viewer');
    const silent = opened(
      await openSyncSocket(server, workspaceId, user.token, { autoPong: false }),
    );
    const pinged = silent.nextPing();
    server.deps.syncSockets.heartbeat();
    await pinged;
    server.deps.syncSockets.heartbeat();
    // Terminated without a close frame: the client sees an abnormal closure.
    expect((await silent.closed).code).toBe(1006);
    expect(server.deps.syncSockets.size).toBe(0);
  });

  it('caps sockets per session (4429)', async () => {
    const user = await joinAs(server, admin.token, workspaceId, 'member');
    const first = opened(await openSyncSocket(server, workspaceId, user.token));
    const second = opened(await openSyncSocket(server, workspaceId, user.token));
    const third = opened(await openSyncSocket(server, workspaceId, user.token));
    expect(await third.closed).toEqual(SOCKET_CLOSE.tooManyForSession);
    // Another session of the same user has its own allowance.
    const phone = await login(server, user.email, user.password, 'Phone');
    const fourth = opened(await openSyncSocket(server, workspaceId, phone.token));
    expect(server.deps.syncSockets.size).toBe(3);
    for (const socket of [first, second, fourth]) socket.client.close();
  });
});

describe('sync WebSocket server cap', () => {
  it('caps sockets on the whole server (4429)', async () => {
    const small = await startAccountsServer({
      syncSocketLimits: { perSession: 10, perServer: 2, heartbeatMs: 3_600_000 },
    });
    try {
      const { admin: owner, workspaceId: id } = await adminWithWorkspace(small, 'small');
      const member = await joinAs(small, owner.token, id, 'member');
      const a = opened(await openSyncSocket(small, id, owner.token));
      const b = opened(await openSyncSocket(small, id, member.token));
      const c = opened(await openSyncSocket(small, id, member.token));
      expect(await c.closed).toEqual(SOCKET_CLOSE.tooManyOnServer);
      a.client.close();
      await a.closed;
      const d = opened(await openSyncSocket(small, id, member.token));
      const next = await push(small, owner.token, id, [randomEnvelope()]);
      expect(await d.nextMessage()).toMatchObject({ seq: next.json.results[0]?.seq });
      expect(await b.nextMessage()).toMatchObject({ seq: next.json.results[0]?.seq });
    } finally {
      await small.close();
    }
  });
});

describe('sync WebSocket session expiry', () => {
  it('closes the socket when the session expires (14 idle days on the server clock)', async () => {
    const own = await startAccountsServer({ syncSocketLimits: { heartbeatMs: 3_600_000 } });
    try {
      const { admin: owner, workspaceId: id } = await adminWithWorkspace(own, 'expiring');
      const socket = opened(await openSyncSocket(own, id, owner.token));
      await own.deps.syncSockets.recheck();
      expect(own.deps.syncSockets.size).toBe(1);
      own.clock.advance(SESSION_IDLE_MS);
      await own.deps.syncSockets.recheck();
      expect(await socket.closed).toEqual({ code: 4401, reason: 'SESSION_EXPIRED' });
    } finally {
      await own.close();
    }
  });
});

describe('sync WebSocket heartbeat timer', () => {
  it('on its own beat, closes the socket of a session that signed out', async () => {
    // A short beat (long enough for a loaded machine to answer a ping): the test waits for
    // the close, however many beats that takes.
    const own = await startAccountsServer({ syncSocketLimits: { heartbeatMs: 1_000 } });
    try {
      const { admin: owner, workspaceId: id } = await adminWithWorkspace(own, 'beating');
      const socket = opened(await openSyncSocket(own, id, owner.token));
      const out = await own.request('POST', '/v1/auth/logout', { token: owner.token });
      expect(out.status, out.text).toBe(204);
      expect(await socket.closed).toEqual({ code: 4401, reason: 'SESSION_REVOKED' });
    } finally {
      await own.close();
    }
  });
});

describe('sync WebSocket between two heartbeats', () => {
  it('a revoked session or removed member hears no seq after the fact: closed at the next push', async () => {
    const own = await startAccountsServer({ syncSocketLimits: { heartbeatMs: 3_600_000 } });
    try {
      const { admin: owner, workspaceId: id } = await adminWithWorkspace(own, 'between');
      await elevate(own, owner);
      const signedOut = await joinAs(own, owner.token, id, 'member');
      const removed = await joinAs(own, owner.token, id, 'viewer');
      const stays = await joinAs(own, owner.token, id, 'viewer');
      const signedOutSocket = opened(await openSyncSocket(own, id, signedOut.token));
      const removedSocket = opened(await openSyncSocket(own, id, removed.token));
      const staysSocket = opened(await openSyncSocket(own, id, stays.token));

      expect(
        (await own.request('POST', '/v1/auth/logout', { token: signedOut.token })).status,
      ).toBe(204);
      const removal = await own.request(
        'DELETE',
        `/v1/workspaces/${id}/members/${removed.user.id}`,
        {
          token: owner.token,
        },
      );
      expect(removal.status, removal.text).toBe(204);
      const next = await push(own, owner.token, id, [randomEnvelope()]);

      expect(await staysSocket.nextMessage()).toMatchObject({ seq: next.json.results[0]?.seq });
      expect(await signedOutSocket.closed).toEqual({ code: 4401, reason: 'SESSION_REVOKED' });
      expect(await removedSocket.closed).toEqual({ code: 4404, reason: 'WORKSPACE_NOT_FOUND' });
      expect(signedOutSocket.messages).toEqual([]);
      expect(removedSocket.messages).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
