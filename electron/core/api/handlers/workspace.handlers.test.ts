import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { AppStatus } from '../../../../shared/api/app.methods.js';
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { inviteLink } from '../../../../shared/sync/invite-link.js';
import type {
  AuditEntry,
  MemberSession,
  WorkspaceMember,
} from '../../../../shared/api/workspace.methods.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { enableTotp } from '../../sync/client/testing/totp-account.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { SyncAccountRepository } from '../../sync/sync-account.repository.js';
import { SyncAccountService } from '../../sync/sync-account.service.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/**
 * The `workspace` group against the real server in a child process (TLS 1.3, self-signed,
 * an OS port on 127.0.0.1) and real vaults, one per device.
 */
const PASSWORD = 'harbour lantern quartz 83';

let server: SyncServerProcess;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;

async function signedUp(name: string): Promise<{ app: ApiTestApp; address: string }> {
  const app = await openApiTestApp();
  const address = email(name);
  answerValue(
    await app.call('sync', 'signUp', {
      url: server.url,
      fingerprint: server.fingerprint,
      email: address,
      password: PASSWORD,
    }),
  );
  return { app, address };
}

/** The account service on a test app's vault, as the CLI would drive it. */
const accountOf = (app: ApiTestApp): SyncAccountService =>
  new SyncAccountService({
    vault: app.session.services().vault,
    keyStore: new MemoryKeyStore(),
    deviceName: 'Test admin tools',
  });

const syncEvents = (app: ApiTestApp): SyncAccountStatus[] =>
  app.events.filter((e) => e.name === 'sync.status').map((e) => e.data as SyncAccountStatus);

async function reachesSynced(app: ApiTestApp): Promise<void> {
  await vi.waitFor(
    () => expect(syncEvents(app).some((s) => s.signedIn && s.loop?.state === 'synced')).toBe(true),
    { timeout: 60_000, interval: 100 },
  );
}

describe('workspaces through the API', { timeout: 180_000 }, () => {
  it('creates a workspace, then a member joins by invite link; both syncs go live', async () => {
    const admin = await signedUp('admin');
    const created = answerValue<{ status: SyncAccountStatus }>(
      await admin.app.call('workspace', 'create', { name: '  Harbour books  ' }),
    );
    expect(created.status).toMatchObject({
      signedIn: true,
      workspace: { name: 'Harbour books', role: 'admin' },
    });
    await reachesSynced(admin.app);
    // Asked until a round is not running: the socket's opening asks for another one.
    await vi.waitFor(
      async () =>
        expect(await admin.app.call('sync', 'status')).toMatchObject({
          ok: true,
          value: {
            workspace: { name: 'Harbour books', role: 'admin' },
            loop: { state: 'synced' },
          },
        }),
      { timeout: 60_000, interval: 200 },
    );
    // One workspace per vault.
    expect(await admin.app.call('workspace', 'create', { name: 'Second' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });

    const member = await signedUp('member');
    const { token } = await accountOf(admin.app).invite(member.address, 'member');
    const joined = answerValue<{ keyReady: boolean; status: SyncAccountStatus }>(
      await member.app.call('workspace', 'join', { token: inviteLink(server.url, token) }),
    );
    // No admin device has shared the workspace key yet.
    expect(joined).toMatchObject({
      keyReady: false,
      status: { signedIn: true, workspace: { role: 'member' } },
    });
    expect(member.app.session.sync().status()).toMatchObject({
      loop: expect.anything() as unknown,
    });
    // The admin's device seals the key as it lists the members; the member's loop then syncs.
    await accountOf(admin.app).members();
    await member.app.call('sync', 'syncNow');
    await reachesSynced(member.app);
    expect(await member.app.call('sync', 'status')).toMatchObject({
      ok: true,
      value: { workspace: { name: 'Harbour books', role: 'member' } },
    });

    // The token went in; it never came back out to a window.
    expect(JSON.stringify([member.app.events, admin.app.events])).not.toContain(token);
    // The vault holds its workspace: a second join is refused before anything is sent.
    const again = await member.app.call('workspace', 'join', { token });
    expect(again).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect([...admin.app.internalErrors, ...member.app.internalErrors]).toEqual([]);
  });

  it('refuses an invite for another address, for another server, or never issued; nothing is stored', async () => {
    const admin = await signedUp('admin');
    answerValue(await admin.app.call('workspace', 'create', { name: 'Harbour books' }));
    const invited = await signedUp('invited');
    const stranger = await signedUp('stranger');
    const { token } = await accountOf(admin.app).invite(invited.address, 'viewer');

    expect(await stranger.app.call('workspace', 'join', { token })).toMatchObject({
      ok: false,
      code: 'INVITE_INVALID',
      details: { serverCode: 'INVITE_WRONG_ACCOUNT' },
    });
    const otherServer = new URL(server.url);
    otherServer.hostname = 'sync.example.test';
    expect(
      await invited.app.call('workspace', 'join', { token: inviteLink(otherServer.origin, token) }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    // Nothing was stored by either refusal.
    expect(new SyncAccountRepository(invited.app.session.services().vault.db).workspace()).toBe(
      null,
    );

    // Both refusals left the invite usable by the address it was sent to.
    answerValue(await invited.app.call('workspace', 'join', { token }));
    // A token of the right shape the server never issued.
    let unknown = token.split('').reverse().join('');
    if (unknown.startsWith('-') || unknown === token) unknown = `A${token.slice(1)}`;
    expect(unknown).not.toBe(token);
    const fresh = await signedUp('fresh');
    expect(await fresh.app.call('workspace', 'join', { token: unknown })).toMatchObject({
      ok: false,
      code: 'INVITE_INVALID',
      details: { serverCode: 'INVITE_NOT_FOUND' },
    });
  });

  it('a vault holding records of its own does not join (it would share them)', async () => {
    const admin = await signedUp('admin');
    answerValue(await admin.app.call('workspace', 'create', { name: 'Harbour books' }));
    const member = await signedUp('holder');
    answerValue(await member.app.call('accounts', 'create', { name: 'Checking', currency: 'USD' }));
    const { token } = await accountOf(admin.app).invite(member.address, 'member');
    const refused = await member.app.call('workspace', 'join', { token });
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect((refused as { message: string }).message).not.toContain('coffer init');
    // The records stay this vault's, and the invite stays unused.
    const empty = await signedUp('empty');
    expect(await empty.app.call('workspace', 'join', { token })).toMatchObject({
      ok: false,
      details: { serverCode: 'INVITE_WRONG_ACCOUNT' },
    });
  });

  it('refuses bad input with INVALID_INPUT, and a vault that is not signed in', async () => {
    const app = await openApiTestApp();
    for (const [method, input] of [
      ['create', {}],
      ['create', { name: '' }],
      ['create', { name: '   ' }],
      ['create', { name: 'x'.repeat(201) }],
      ['create', { name: 42 }],
      ['create', { name: 'Books', role: 'admin' }],
      ['join', {}],
      ['join', { token: '' }],
      ['join', { token: 'not an invite' }],
      ['join', { token: 'x'.repeat(2049) }],
      ['join', { token: `https://evil.example.test/join#${'a'.repeat(43)}` }],
    ] as const) {
      expect(await app.call('workspace', method, input), JSON.stringify(input)).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
    expect(await app.call('workspace', 'create', { name: 'Books' })).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
    expect(await app.call('workspace', 'join', { token: 'a'.repeat(43) })).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
  });

  it('an admin invites, changes roles and removes members; every refusal says why', async () => {
    const admin = await signedUp('admin');
    answerValue(await admin.app.call('workspace', 'create', { name: 'Harbour books' }));
    const member = await signedUp('member');
    const viewer = await signedUp('viewer');
    const stranger = await signedUp('stranger');
    answerValue(await stranger.app.call('workspace', 'create', { name: 'Elsewhere' }));

    const invites: string[] = [];
    for (const [who, role] of [
      [member, 'member'],
      [viewer, 'viewer'],
    ] as const) {
      const invite = answerValue<{ token: string; link: string; expiresAt: string }>(
        await admin.app.call('workspace', 'invite', { email: who.address, role }),
      );
      expect(invite.link).toBe(inviteLink(server.url, invite.token));
      expect(Date.parse(invite.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
      invites.push(invite.token);
      answerValue(await who.app.call('workspace', 'join', { token: invite.link }));
    }
    await enableTotp(server, member.address, PASSWORD);
    const listed = answerValue<{ role: string; members: WorkspaceMember[] }>(
      await admin.app.call('workspace', 'members'),
    );
    expect(listed.role).toBe('admin');
    expect(
      listed.members.map((m) => [m.email, m.role, m.you, m.hasKey, m.secondFactors]).sort(),
    ).toEqual(
      [
        [admin.address, 'admin', true, true, []],
        [member.address, 'member', false, true, ['totp']],
        [viewer.address, 'viewer', false, true, []],
      ].sort(),
    );
    // Who has no second factor is told to an admin only.
    const seenByViewer = answerValue<{ members: WorkspaceMember[] }>(
      await viewer.app.call('workspace', 'members'),
    );
    expect(seenByViewer.members.map((m) => m.secondFactors)).toEqual([null, null, null]);

    // The viewer's role may not invite, nor change roles: the server's refusal comes back.
    expect(
      await viewer.app.call('workspace', 'invite', { email: stranger.address, role: 'admin' }),
    ).toMatchObject({
      ok: false,
      code: 'SERVER_REFUSED',
      details: { serverCode: 'FORBIDDEN_ROLE' },
    });
    expect(
      await viewer.app.call('workspace', 'setRole', { email: viewer.address, role: 'admin' }),
    ).toMatchObject({ ok: false });
    expect(await viewer.app.call('workspace', 'audit', {})).toMatchObject({
      ok: false,
      details: { serverCode: 'FORBIDDEN_ROLE' },
    });

    // A role change needs a recent step-up: refused, then taken after security.stepUp.
    expect(
      await admin.app.call('workspace', 'setRole', { email: member.address, role: 'viewer' }),
    ).toMatchObject({ ok: false, code: 'STEP_UP_REQUIRED' });
    answerValue(await admin.app.call('security', 'stepUp', { password: PASSWORD }));
    answerValue(
      await admin.app.call('workspace', 'setRole', { email: member.address, role: 'viewer' }),
    );
    // The last admin keeps the role.
    expect(
      await admin.app.call('workspace', 'setRole', { email: admin.address, role: 'member' }),
    ).toMatchObject({ ok: false, code: 'LAST_ADMIN' });
    expect(await admin.app.call('workspace', 'remove', { email: admin.address })).toMatchObject({
      ok: false,
      code: 'LAST_ADMIN',
    });
    // Someone who is not a member of this workspace: not found, nothing changed.
    expect(
      await admin.app.call('workspace', 'setRole', { email: stranger.address, role: 'viewer' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const removed = answerValue<{ workspaceKeyVersion: number | null }>(
      await admin.app.call('workspace', 'remove', { email: member.address }),
    );
    // The workspace key moved on: nothing new reaches the removed member's devices.
    expect(removed.workspaceKeyVersion).toBe(2);
    const after = answerValue<{ members: WorkspaceMember[] }>(
      await admin.app.call('workspace', 'members'),
    );
    expect(after.members.map((m) => m.email).sort()).toEqual(
      [admin.address, viewer.address].sort(),
    );
    // The member's own sync loop, woken by the rotation's announcement, may meet the removal
    // before this call does and shred the vault first: the call then finds it closed. Either
    // way the member's window is told MEMBER_REMOVED and the vault is gone.
    const asked = await member.app.call('workspace', 'members');
    expect(asked).toMatchObject({ ok: false });
    expect(['MEMBER_REMOVED', 'VAULT_CLOSED']).toContain((asked as { code?: string }).code);
    await vi.waitFor(
      () =>
        expect(member.app.events.find((e) => e.name === 'vault.removed')?.data).toMatchObject({
          code: 'MEMBER_REMOVED',
        }),
      { timeout: 60_000, interval: 200 },
    );
    // A window that reloads (or opens) asks the status: it still says why, until read.
    const status = answerValue<AppStatus>(await member.app.call('app', 'status'));
    expect(status).toMatchObject({ vault: 'missing', removal: { code: 'MEMBER_REMOVED' } });
    expect(status.removal?.message).toEqual(expect.any(String));
    expect(status.removal?.at).toEqual(expect.any(Number));
    expect(await member.app.call('app', 'acknowledgeRemoval', { now: true })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(answerValue<AppStatus>(await member.app.call('app', 'status')).removal).not.toBeNull();
    expect(answerValue(await member.app.call('app', 'acknowledgeRemoval'))).toMatchObject({
      vault: 'missing',
      removal: null,
    });
    expect(answerValue<AppStatus>(await member.app.call('app', 'status')).removal).toBeNull();
    expect(JSON.stringify([viewer.app.events, member.app.events])).not.toContain(invites[0]);
  });

  it("policy, members' sessions and the audit log: admin only, step-up where the server asks", async () => {
    const admin = await signedUp('admin');
    answerValue(await admin.app.call('workspace', 'create', { name: 'Harbour books' }));
    const member = await signedUp('member');
    const stranger = await signedUp('stranger');
    const invite = answerValue<{ link: string }>(
      await admin.app.call('workspace', 'invite', { email: member.address, role: 'member' }),
    );
    answerValue(await member.app.call('workspace', 'join', { token: invite.link }));
    await accountOf(admin.app).members();
    answerValue(await member.app.call('sync', 'syncNow'));
    await reachesSynced(member.app);
    expect(await admin.app.call('workspace', 'policy')).toEqual({
      ok: true,
      value: { requireMfa: false, forbidEmailOtp: false },
    });
    const requireMfa = { requireMfa: true, forbidEmailOtp: false };
    expect(await admin.app.call('workspace', 'setPolicy', requireMfa)).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });
    answerValue(await admin.app.call('security', 'stepUp', { password: PASSWORD }));
    // The admin has no second factor: requiring one would lock them out.
    expect(await admin.app.call('workspace', 'setPolicy', requireMfa)).toMatchObject({
      ok: false,
      details: { serverCode: 'POLICY_WOULD_LOCK_OUT' },
    });
    const totp = await enableTotp(server, admin.address, PASSWORD);
    answerValue(
      await admin.app.call('security', 'stepUp', {
        password: PASSWORD,
        method: 'totp',
        code: await totp.nextCode(),
      }),
    );
    expect(await admin.app.call('workspace', 'setPolicy', requireMfa)).toEqual({
      ok: true,
      value: requireMfa,
    });
    // The member has no second factor: sent to enrolment, with a code of its own.
    const before = member.app.events.length;
    expect(await member.app.call('workspace', 'members')).toMatchObject({
      ok: false,
      code: 'MFA_REQUIRED',
    });
    // Its sync stops saying "synced" now, not at its next poll (ten minutes off): the call
    // that met the policy asks the loop for a round, which meets it too.
    await vi.waitFor(
      () =>
        expect(
          syncEvents({ ...member.app, events: member.app.events.slice(before) }).some(
            (s) => s.signedIn && s.loop?.state === 'error' && s.loop.code === 'MFA_REQUIRED',
          ),
        ).toBe(true),
      { timeout: 20_000, interval: 100 },
    );
    answerValue(
      await admin.app.call('workspace', 'setPolicy', { requireMfa: false, forbidEmailOtp: false }),
    );

    const { sessions } = answerValue<{ sessions: MemberSession[] }>(
      await admin.app.call('workspace', 'sessions'),
    );
    const memberSession = sessions.find((s) => s.email === member.address);
    expect(memberSession).toMatchObject({ current: false, deviceName: 'Coffer (web)' });
    expect(sessions.find((s) => s.current)?.email).toBe(admin.address);
    // A session of someone outside the workspace is not found, like one that never was.
    const strangerSessions = await accountOf(stranger.app).sessions();
    const strangerId = strangerSessions[0]?.id ?? '';
    expect(
      await admin.app.call('workspace', 'revokeSession', { sessionId: strangerId }),
    ).toMatchObject({ ok: false, details: { serverCode: 'SESSION_NOT_FOUND' } });
    answerValue(
      await admin.app.call('workspace', 'revokeSession', { sessionId: memberSession?.id ?? '' }),
    );
    expect(await member.app.call('workspace', 'members')).toMatchObject({
      ok: false,
      code: 'SESSION_REVOKED',
    });

    // The audit log: these events, one action at a time, in pages by the server's cursor.
    const first = answerValue<{ entries: AuditEntry[]; nextCursor: string | null }>(
      await admin.app.call('workspace', 'audit', { limit: 2 }),
    );
    expect(first.entries).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = answerValue<{ entries: AuditEntry[] }>(
      await admin.app.call('workspace', 'audit', { limit: 2, cursor: first.nextCursor ?? '' }),
    );
    expect(second.entries.map((e) => e.id)).not.toContain(first.entries[0]?.id);
    const policyChanges = answerValue<{ entries: AuditEntry[] }>(
      await admin.app.call('workspace', 'audit', { action: 'PUT /v1/workspaces/:id/policy' }),
    );
    expect(policyChanges.entries.length).toBeGreaterThanOrEqual(3);
    expect(new Set(policyChanges.entries.map((e) => e.action))).toEqual(
      new Set(['PUT /v1/workspaces/:id/policy']),
    );
    expect(policyChanges.entries.some((e) => e.email === admin.address)).toBe(true);
    // Changes only: the policy changes stay, the devices' reads of keys and members go.
    const everything = answerValue<{ entries: AuditEntry[] }>(
      await admin.app.call('workspace', 'audit', { limit: 200 }),
    ).entries;
    const changes = answerValue<{ entries: AuditEntry[] }>(
      await admin.app.call('workspace', 'audit', { limit: 200, changesOnly: true }),
    ).entries;
    expect(everything.length).toBeLessThan(200); // the whole log, so the two lists compare
    expect(everything.some((e) => e.action.startsWith('GET '))).toBe(true);
    expect(changes.map((e) => e.id)).toEqual(
      everything.filter((e) => !e.action.startsWith('GET ')).map((e) => e.id),
    );
    expect(changes.filter((e) => e.action === 'PUT /v1/workspaces/:id/policy')).toHaveLength(
      policyChanges.entries.length,
    );
    const future = new Date(Date.now() + 86_400_000).toISOString().slice(0, 19) + 'Z';
    expect(
      answerValue<{ entries: AuditEntry[] }>(
        await admin.app.call('workspace', 'audit', { since: future }),
      ).entries,
    ).toEqual([]);
    for (const input of [
      { limit: 0 },
      { limit: 201 },
      { since: 'yesterday' },
      { userId: 'not-an-id' },
      { outcome: 'maybe' },
      { changesOnly: 'yes' },
      { cursor: '' },
    ]) {
      expect(
        await admin.app.call('workspace', 'audit', input),
        JSON.stringify(input),
      ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await admin.app.call('workspace', 'audit', { cursor: 'garbage' })).toMatchObject({
      ok: false,
      details: { serverCode: 'INVALID_CURSOR' },
    });
  });
});
