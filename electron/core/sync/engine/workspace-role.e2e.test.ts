import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import { AttachmentService } from '../../attachments/attachment.service.js';
import { SettingsService } from '../../settings/settings.service.js';
import { startSyncServerProcess } from '../client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../client/testing/sync-server-process.js';
import { SyncAccountRepository } from '../sync-account.repository.js';
import { syncOnce, type SyncRunResult } from './sync-once.js';
import { loopDevice, targetOf, type LoopDevice } from './testing/loop-device.js';

/**
 * The role matrix on the device itself (ARCHITECTURE §5), with the real server in a child
 * process: a write the account's role may not push is refused when it is made, not left
 * to wait in the outbox; a role changed on the server reaches the device at its next pull;
 * and changes a demoted device made while it did not know are kept, unsent, while it goes on
 * receiving everyone else's.
 */
const PASSWORD = 'quarry lantern heron 71';

let server: SyncServerProcess;
let admin: LoopDevice;
let colleague: LoopDevice;
let colleagueEmail: string;

async function sync(device: LoopDevice): Promise<SyncRunResult> {
  return device.account.withWorkspaceSync((api, workspace, keyring) =>
    syncOnce(device.vault, api, workspace.workspaceId, keyring),
  );
}

function roleOf(device: LoopDevice): string | undefined {
  return new SyncAccountRepository(device.vault.db).workspace()?.role;
}

function payees(device: LoopDevice): (string | null)[] {
  return device.transactions
    .list({ limit: 100 })
    .map((t) => t.payeeName)
    .sort();
}

function refusal(error: unknown): { code: string; message: string } {
  if (!isCofferError(error)) throw error;
  return { code: error.code, message: error.message };
}

async function setRole(role: 'viewer' | 'member'): Promise<void> {
  await admin.account.setRole(colleagueEmail, role, { password: PASSWORD });
}

beforeAll(async () => {
  server = await startSyncServerProcess();
  admin = await loopDevice('Role admin');
  colleague = await loopDevice('Role colleague');
  const tag = `${process.pid}-${Date.now()}`;
  colleagueEmail = `colleague-${tag}@example.test`;
  await admin.account.register(targetOf(server), {
    email: `admin-${tag}@example.test`,
    password: PASSWORD,
  });
  await admin.account.createWorkspace('Role books');
  admin.accounts.create({ name: 'Checking', currency: 'EUR' });
  admin.transactions.create({
    accountId: 'Checking',
    date: '2026-11-02',
    amountMinor: -1200,
    payeeName: 'Stationer',
  });
  await sync(admin);

  await colleague.account.register(targetOf(server), {
    email: colleagueEmail,
    password: PASSWORD,
  });
  const { token } = await admin.account.invite(colleagueEmail, 'viewer');
  await colleague.account.join(token);
  // The admin's device seals the workspace key to the new member.
  await admin.account.members();
  await sync(colleague);
}, 180_000);

afterAll(async () => {
  for (const device of [admin, colleague]) device?.cleanup();
  await server?.stop();
});

describe('roles on the device', { timeout: 180_000 }, () => {
  it('a viewer reads the workspace and is refused any change when making it; nothing is written', () => {
    expect(roleOf(colleague)).toBe('viewer');
    expect(payees(colleague)).toEqual(['Stationer']);
    const before = colleague.transactions.list({ limit: 100 }).length;

    let thrown: unknown;
    try {
      colleague.transactions.create({
        accountId: 'Checking',
        date: '2026-11-03',
        amountMinor: -300,
        payeeName: 'Bakery',
      });
    } catch (error) {
      thrown = error;
    }
    expect(refusal(thrown)).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    expect(refusal(thrown).message).toMatch(/viewer.*An admin can make you a member/);
    expect(() => colleague.accounts.create({ name: 'Savings', currency: 'EUR' })).toThrow(
      expect.objectContaining({ code: 'ROLE_FORBIDDEN' }),
    );
    expect(colleague.transactions.list({ limit: 100 })).toHaveLength(before);
    expect(colleague.accounts.list().map((a) => a.name)).toEqual(['Checking']);
    expect(colleague.vault.changes.pendingCount()).toBe(0);
  });

  it('a role the admin changes reaches the device at its next pull, and its writes then sync', async () => {
    await setRole('member');
    // Still the role the device last heard: refused until it pulls.
    expect(roleOf(colleague)).toBe('viewer');
    await sync(colleague);
    expect(roleOf(colleague)).toBe('member');

    colleague.transactions.create({
      accountId: 'Checking',
      date: '2026-11-04',
      amountMinor: -450,
      payeeName: 'Bakery',
    });
    const sent = await sync(colleague);
    // The row and its new payee.
    expect(sent).toMatchObject({ pushed: 2, pushRejected: [] });
    await sync(admin);
    expect(payees(admin)).toEqual(['Bakery', 'Stationer']);
  });

  it('a member may not change what only admins change (workspace settings): refused at once', () => {
    const settings = new SettingsService(colleague.vault, new AttachmentService(colleague.vault));
    expect(() => settings.updateProfile({ name: 'Not mine to name' })).toThrow(
      expect.objectContaining({ code: 'ROLE_FORBIDDEN' }),
    );
    expect(colleague.vault.changes.pendingCount()).toBe(0);
  });

  it('changes made before the device heard of its demotion wait unsent, and it still receives', async () => {
    await setRole('viewer');
    // The device does not know yet: the write is taken, as any offline edit would be.
    colleague.transactions.create({
      accountId: 'Checking',
      date: '2026-11-05',
      amountMinor: -990,
      payeeName: 'Florist',
    });
    admin.transactions.create({
      accountId: 'Checking',
      date: '2026-11-05',
      amountMinor: -2500,
      payeeName: 'Printer',
    });
    await sync(admin);

    const held = await sync(colleague);
    expect(held.pushed).toBe(0);
    expect(held.held).toBe(2);
    expect(held.pushRejected).toEqual([
      expect.objectContaining({
        code: 'ROLE_FORBIDDEN',
        message: expect.stringMatching(/^2 changes made on this device wait unsent/) as unknown,
      }),
    ]);
    // The push's refusal did not stop the pull: the admin's new row is here.
    expect(held.pulled).toBeGreaterThan(0);
    expect(payees(colleague)).toEqual(['Bakery', 'Florist', 'Printer', 'Stationer']);
    expect(roleOf(colleague)).toBe('viewer');
    expect(colleague.vault.changes.pendingCount()).toBeGreaterThan(0);

    // Known now: the next round sends nothing and asks nothing of the server's push.
    const again = await sync(colleague);
    expect(again.pushed).toBe(0);
    expect(again.held).toBe(2);
    expect(again.pushRejected.map((p) => p.code)).toEqual(['ROLE_FORBIDDEN']);
    await sync(admin);
    expect(payees(admin)).not.toContain('Florist');
  });

  it('promoted again, the held change goes in the same round the device hears of it', async () => {
    await setRole('member');
    const released = await sync(colleague);
    expect(roleOf(colleague)).toBe('member');
    expect(released.pushRejected).toEqual([]);
    expect(released.held).toBe(0);
    expect(released.pushed).toBeGreaterThan(0);
    expect(colleague.vault.changes.pendingCount()).toBe(0);
    await sync(admin);
    expect(payees(admin)).toContain('Florist');
  });
});
