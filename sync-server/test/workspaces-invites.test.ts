import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuditService } from '../audit/audit.service.js';
import { INVITE_TTL_MS } from '../workspaces/invite.service.js';
import { register, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { captureLog } from './support/log-capture.js';
import type { LogCapture } from './support/log-capture.js';
import { adminWithWorkspace, invite, snapshot } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string };
}

let server: AccountsTestServer;
let log: LogCapture;
let admin: User;
let workspaceId: string;

beforeAll(async () => {
  log = captureLog('info');
  server = await startAccountsServer({ logger: log.logger });
  ({ admin, workspaceId } = await adminWithWorkspace(server));
});
afterAll(async () => server.close());

const accept = (token: string, user: User) =>
  server.request<ErrorJson & { workspaceId?: string; role?: string }>(
    'POST',
    `/v1/invites/${token}/accept`,
    { token: user.token },
  );

const roleOf = async (user: User): Promise<string | undefined> => {
  const res = await server.request<{ members: { userId: string; role: string }[] }>(
    'GET',
    `/v1/workspaces/${workspaceId}/members`,
    { token: admin.token },
  );
  return res.json.members.find((m) => m.userId === user.user.id)?.role;
};

describe('workspace invites', () => {
  it('joins with the invited role once; a replay is 410 INVITE_USED and changes nothing', async () => {
    const user = await register(server);
    const token = await invite(server, admin.token, workspaceId, user.email, 'member');
    const joined = await accept(token, user);
    expect(joined.status).toBe(200);
    expect(joined.json).toEqual({ workspaceId, role: 'member' });
    expect(await roleOf(user)).toBe('member');

    const before = snapshot(server);
    const replay = await accept(token, user);
    expect([replay.status, replay.json.error?.code]).toEqual([410, 'INVITE_USED']);
    expect(snapshot(server)).toBe(before);
  });

  it('is bound to the invited address: another account gets 403 and the invite stays usable', async () => {
    const invited = await register(server);
    const other = await register(server);
    const token = await invite(server, admin.token, workspaceId, invited.email, 'viewer');
    const before = snapshot(server);
    const wrong = await accept(token, other);
    expect([wrong.status, wrong.json.error?.code]).toEqual([403, 'INVITE_WRONG_ACCOUNT']);
    expect(snapshot(server)).toBe(before);
    expect(await roleOf(other)).toBeUndefined();
    expect((await accept(token, invited)).status).toBe(200);
    expect(await roleOf(invited)).toBe('viewer');
  });

  it('matches the address as normalised: case and NFKC do not matter', async () => {
    const user = await register(server);
    const shouted = user.email.toUpperCase();
    expect(shouted).not.toBe(user.email);
    const token = await invite(server, admin.token, workspaceId, shouted, 'viewer');
    expect((await accept(token, user)).status).toBe(200);
  });

  it('expires after seven days (injected clock): 410 INVITE_EXPIRED', async () => {
    const early = await register(server);
    const late = await register(server);
    const earlyToken = await invite(server, admin.token, workspaceId, early.email, 'viewer');
    const lateToken = await invite(server, admin.token, workspaceId, late.email, 'viewer');
    server.clock.advance(INVITE_TTL_MS - 1);
    expect((await accept(earlyToken, early)).status).toBe(200);
    server.clock.advance(1);
    // A week on, the first request writes the session's last_seen_at: before the snapshot.
    await server.request('GET', '/v1/workspaces', { token: late.token });
    const before = snapshot(server);
    const expired = await accept(lateToken, late);
    expect([expired.status, expired.json.error?.code]).toEqual([410, 'INVITE_EXPIRED']);
    expect(snapshot(server)).toBe(before);
    expect(await roleOf(late)).toBeUndefined();
  });

  it('an existing member gets 409 ALREADY_MEMBER and keeps their role; the invite is not used', async () => {
    const user = await register(server);
    const first = await invite(server, admin.token, workspaceId, user.email, 'viewer');
    expect((await accept(first, user)).status).toBe(200);
    const second = await invite(server, admin.token, workspaceId, user.email, 'admin');
    const before = snapshot(server);
    const again = await accept(second, user);
    expect([again.status, again.json.error?.code]).toEqual([409, 'ALREADY_MEMBER']);
    expect(snapshot(server)).toBe(before);
    expect(await roleOf(user)).toBe('viewer');
  });

  it('an unknown token is 404 INVITE_NOT_FOUND, a malformed one 400', async () => {
    const user = await register(server);
    const real = await invite(server, admin.token, workspaceId, user.email, 'viewer');
    let unknown = randomBytes(32).toString('base64url');
    while (unknown === real) unknown = randomBytes(32).toString('base64url');
    const before = snapshot(server);
    const res = await accept(unknown, user);
    expect([res.status, res.json.error?.code]).toEqual([404, 'INVITE_NOT_FOUND']);
    const malformed = await accept('short', user);
    expect([malformed.status, malformed.json.error?.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(snapshot(server)).toBe(before);
  });

  it('the token is shown once: not in the database file, the audit log or the server log', async () => {
    const user = await register(server);
    const token = await invite(server, admin.token, workspaceId, user.email, 'member');
    expect((await accept(token, user)).status).toBe(200);
    await accept(token, user);
    const db = (await readFile(server.databaseFile)).toString('latin1');
    const wal = await readFile(`${server.databaseFile}-wal`)
      .then((b) => b.toString('latin1'))
      .catch(() => '');
    expect(db.includes(token) || wal.includes(token)).toBe(false);
    expect(db.includes(user.email) || wal.includes(user.email)).toBe(false);
    expect(log.text()).not.toContain(token);
    // The acceptance is in the workspace's audit log, by route pattern.
    await (server.deps.audit as AuditService).settled();
    const audit = await server.request<{ entries: { action: string; userId: string }[] }>(
      'GET',
      `/v1/workspaces/${workspaceId}/audit?action=${encodeURIComponent('POST /v1/invites/:token/accept')}`,
      { token: admin.token },
    );
    expect(audit.status).toBe(200);
    expect(audit.json.entries.some((e) => e.userId === user.user.id)).toBe(true);
    expect(JSON.stringify(audit.json)).not.toContain(token);
  });
});
