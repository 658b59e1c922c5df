import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage } from '../test/support/storage-backends.js';
import type { Storage } from './storage.js';
import type { InviteRecord, WorkspaceRecord } from './workspace.repository.js';

let storage: Storage;

const workspace = (id: string): WorkspaceRecord => ({
  id,
  nameBlob: Buffer.from(`sealed name of ${id}`).toString('base64'),
  createdAt: 10,
  policy: { requireMfa: false, forbidEmailOtp: false },
});

const invite = (id: string, overrides: Partial<InviteRecord> = {}): InviteRecord => ({
  id,
  workspaceId: 'w1',
  tokenHash: `hash-${id}`,
  emailLookup: 'lookup-u2',
  role: 'member',
  createdBy: 'u1',
  createdAt: 100,
  expiresAt: 200,
  usedAt: null,
  usedBy: null,
  ...overrides,
});

describeStorage('WorkspaceRepository', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
    for (const id of ['u1', 'u2', 'u3']) {
      await storage.users.create({
        id,
        emailLookup: `lookup-${id}`,
        emailSealed: 'sealed',
        passwordHash: 'hash',
        createdAt: 1,
        updatedAt: 1,
        passwordChangedAt: 1,
      });
    }
    await storage.workspaces.create(workspace('w1'), { userId: 'u1', joinedAt: 10 });
  });
  afterEach(async () => storage.close());

  it('creates a workspace with its creator as admin, and lists only the user’s own', async () => {
    await storage.workspaces.create(workspace('w2'), { userId: 'u2', joinedAt: 20 });
    expect(await storage.workspaces.findById('w1')).toEqual(workspace('w1'));
    expect(await storage.workspaces.findById('nope')).toBeNull();
    expect(await storage.workspaces.listForUser('u1')).toEqual([
      { workspace: workspace('w1'), role: 'admin', joinedAt: 10 },
    ]);
    expect(await storage.workspaces.listForUser('u3')).toEqual([]);
    expect(await storage.workspaces.findMember('w1', 'u1')).toEqual({
      workspaceId: 'w1',
      userId: 'u1',
      role: 'admin',
      joinedAt: 10,
    });
    expect(await storage.workspaces.findMember('w2', 'u1')).toBeNull();
  });

  it('never leaves a workspace without an admin, by role change or by removal', async () => {
    expect(await storage.workspaces.setRole('w1', 'u1', 'member')).toBe('last_admin');
    expect(await storage.workspaces.removeMember('w1', 'u1')).toBe('last_admin');
    expect(await storage.workspaces.setRole('w1', 'u1', 'admin')).toBe('done');
    expect(await storage.workspaces.setRole('w1', 'u3', 'admin')).toBe('not_member');
    expect(await storage.workspaces.removeMember('w1', 'u3')).toBe('not_member');

    await storage.workspaces.createInvite(invite('i1', { role: 'admin' }));
    expect(await storage.workspaces.acceptInvite('i1', 'u2', 150)).toBe('accepted');
    // Two admins: either may step down, but not both.
    expect(await storage.workspaces.setRole('w1', 'u1', 'viewer')).toBe('done');
    expect(await storage.workspaces.removeMember('w1', 'u2')).toBe('last_admin');
    expect(await storage.workspaces.removeMember('w1', 'u1')).toBe('done');
    expect((await storage.workspaces.listMembers('w1')).map((m) => [m.userId, m.role])).toEqual([
      ['u2', 'admin'],
    ]);
  });

  it('concurrent demotions of two admins leave exactly one', async () => {
    await storage.workspaces.createInvite(invite('i1', { role: 'admin' }));
    await storage.workspaces.acceptInvite('i1', 'u2', 150);
    const results = await Promise.all([
      storage.workspaces.setRole('w1', 'u1', 'member'),
      storage.workspaces.removeMember('w1', 'u2'),
    ]);
    expect(results.sort()).toEqual(['done', 'last_admin']);
    const admins = (await storage.workspaces.listMembers('w1')).filter((m) => m.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it('uses an invite once: replays, expired invites and existing members change nothing', async () => {
    await storage.workspaces.createInvite(invite('i1'));
    await storage.workspaces.createInvite(invite('i2'));
    await storage.workspaces.createInvite(invite('i3', { expiresAt: 150 }));
    expect(await storage.workspaces.findInviteByTokenHash('hash-i1')).toEqual(invite('i1'));
    expect(await storage.workspaces.findInviteByTokenHash('hash-zz')).toBeNull();

    const results = await Promise.all([
      storage.workspaces.acceptInvite('i1', 'u2', 150),
      storage.workspaces.acceptInvite('i1', 'u3', 150),
    ]);
    expect(results).toEqual(['accepted', 'used']);
    expect(await storage.workspaces.findInviteByTokenHash('hash-i1')).toMatchObject({
      usedAt: 150,
      usedBy: 'u2',
    });
    expect(await storage.workspaces.acceptInvite('i2', 'u2', 150)).toBe('already_member');
    expect(await storage.workspaces.findInviteByTokenHash('hash-i2')).toMatchObject({
      usedAt: null,
    });
    expect(await storage.workspaces.acceptInvite('i3', 'u3', 150)).toBe('expired');
    expect(await storage.workspaces.acceptInvite('i2', 'u3', 200)).toBe('expired');
    expect(await storage.workspaces.findMember('w1', 'u3')).toBeNull();
    expect(await storage.workspaces.findMember('w1', 'u2')).toMatchObject({ role: 'member' });
  });

  it('a user’s policy is the strictest of their workspaces', async () => {
    await storage.workspaces.create(workspace('w2'), { userId: 'u1', joinedAt: 20 });
    const none = { requireMfa: false, forbidEmailOtp: false };
    expect(await storage.workspaces.policyForUser('u1')).toEqual(none);
    await storage.workspaces.setPolicy('w1', { requireMfa: true, forbidEmailOtp: false });
    await storage.workspaces.setPolicy('w2', { requireMfa: false, forbidEmailOtp: true });
    expect(await storage.workspaces.policyForUser('u1')).toEqual({
      requireMfa: true,
      forbidEmailOtp: true,
    });
    expect((await storage.workspaces.findById('w2'))?.policy).toEqual({
      requireMfa: false,
      forbidEmailOtp: true,
    });
    expect(await storage.workspaces.policyForUser('u2')).toEqual(none);
  });

  it('a deleted user leaves the member list', async () => {
    await storage.workspaces.createInvite(invite('i1'));
    await storage.workspaces.acceptInvite('i1', 'u2', 150);
    await storage.users.delete('u2');
    expect((await storage.workspaces.listMembers('w1')).map((m) => m.userId)).toEqual(['u1']);
  });

  it('releasing a user refuses while they are the last admin of a shared workspace, and deletes the ones they alone belong to', async () => {
    await storage.workspaces.createInvite(invite('i1'));
    await storage.workspaces.acceptInvite('i1', 'u2', 150);
    await storage.workspaces.create(workspace('w2'), { userId: 'u1', joinedAt: 20 });
    expect(await storage.workspaces.releaseUser('u1')).toEqual({ lastAdminOf: ['w1'] });
    expect(await storage.workspaces.findById('w2')).not.toBeNull();

    await storage.workspaces.setRole('w1', 'u2', 'admin');
    expect(await storage.workspaces.releaseUser('u1')).toEqual({ lastAdminOf: [] });
    expect(await storage.workspaces.findById('w2')).toBeNull();
    expect(await storage.workspaces.findById('w1')).not.toBeNull();
    expect(await storage.workspaces.releaseUser('u3')).toEqual({ lastAdminOf: [] });
  });
});
