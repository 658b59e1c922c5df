import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { PendingDeviceApproval } from '../../../../shared/api/devices.methods.js';
import type { SignInStep, SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { sameApprovalCode } from '../../sync/crypto/device-approval.js';
import { SyncAccountRepository } from '../../sync/sync-account.repository.js';
import { SyncAccountService } from '../../sync/sync-account.service.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/**
 * Device approval, live changes and a revoked device through the API, against the real
 * server in a child process (TLS 1.3, pinned) and real vaults, one per device.
 */
const PASSWORD = 'quartz meadow lantern 71';
const WRONG_PASSWORD = 'not the password 99';

let server: SyncServerProcess;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;
const serverInput = () => ({ url: server.url, fingerprint: server.fingerprint });

const syncEvents = (app: ApiTestApp): SyncAccountStatus[] =>
  app.events.filter((e) => e.name === 'sync.status').map((e) => e.data as SyncAccountStatus);

function accountService(app: ApiTestApp): SyncAccountService {
  return new SyncAccountService({
    vault: app.session.services().vault,
    keyStore: new MemoryKeyStore(),
    deviceName: 'Test helper',
  });
}

/** A signed-up first device with a workspace (the API has no method for one yet). */
async function firstDevice(address: string): Promise<ApiTestApp> {
  const app = await openApiTestApp();
  answerValue(
    await app.call('sync', 'signUp', { ...serverInput(), email: address, password: PASSWORD }),
  );
  await accountService(app).createWorkspace('Harbour books');
  return app;
}

/** A second device at the key step of its sign-in, waiting for approval. */
async function waitingDevice(address: string): Promise<{
  app: ApiTestApp;
  step: Extract<SignInStep, { step: 'awaiting-approval' }>;
}> {
  const app = await openApiTestApp();
  answerValue(
    await app.call('sync', 'signInStart', { ...serverInput(), email: address, password: PASSWORD }),
  );
  const step = answerValue<SignInStep>(await app.call('sync', 'signInWithApproval'));
  if (step.step !== 'awaiting-approval') throw new Error(`at ${step.step}`);
  return { app, step };
}

async function pending(app: ApiTestApp): Promise<PendingDeviceApproval[]> {
  return answerValue<PendingDeviceApproval[]>(await app.call('devices', 'pendingApprovals'));
}

describe('devices and live sync through the API', { timeout: 240_000 }, () => {
  it('a new device waits with a code; the signed-in one sees the same code and approves it after a step-up', async () => {
    const address = email('approve');
    const first = await firstDevice(address);
    const { app: second, step } = await waitingDevice(address);
    expect(step.code).toMatch(/\S/);
    expect(Date.parse(step.expiresAt) - Date.now()).toBeGreaterThan(10 * 60_000);
    expect(answerValue(await second.call('sync', 'status'))).toEqual({
      signedIn: false,
      signIn: 'awaiting-approval',
      approval: { code: step.code, expiresAt: step.expiresAt },
    });
    // A second wait, or a Recovery Key, has no step to take while this one runs.
    expect(await second.call('sync', 'signInWithApproval')).toMatchObject({
      ok: false,
      code: 'SIGN_IN_NOT_STARTED',
    });

    const [request, ...others] = await pending(first);
    expect(others).toEqual([]);
    expect(request).toMatchObject({ code: step.code, deviceName: 'Coffer (web)' });
    const id = request?.id ?? '';

    // A code that differs from the one derived here approves nothing, stepped up or not.
    const wrongCode = sameApprovalCode('000 000', step.code) ? '111 111' : '000 000';
    expect(await first.call('devices', 'approve', { id, code: wrongCode })).toMatchObject({
      ok: false,
      code: 'APPROVAL_CODE_MISMATCH',
    });
    // The right code without a step-up: the server refuses, and the window is told to ask.
    expect(await first.call('devices', 'approve', { id, code: step.code })).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });
    expect(await first.call('security', 'stepUp', { password: WRONG_PASSWORD })).toMatchObject({
      ok: false,
      code: 'AUTH_FAILED',
    });
    expect(await first.call('devices', 'approve', { id, code: step.code })).toMatchObject({
      ok: false,
      code: 'STEP_UP_REQUIRED',
    });
    answerValue(await first.call('security', 'stepUp', { password: PASSWORD }));
    // Ids the server never made, and input that is not an id.
    let unknown = randomUUID();
    while (unknown === id) unknown = randomUUID();
    expect(await first.call('devices', 'approve', { id: unknown, code: step.code })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await first.call('devices', 'deny', { id: 'not-an-id' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(answerValue(await second.call('sync', 'status'))).toMatchObject({
      signIn: 'awaiting-approval',
    });

    expect(
      answerValue(await first.call('devices', 'approve', { id, code: step.code })),
    ).toMatchObject({ id, code: step.code });
    await vi.waitFor(
      () => expect(syncEvents(second).some((s) => s.signedIn && s.workspace !== null)).toBe(true),
      { timeout: 60_000, interval: 100 },
    );
    expect(await pending(first)).toEqual([]);
    const token = new SyncAccountRepository(second.session.services().vault.db).account()
      ?.sessionToken;
    expect(token).toBeDefined();
    const seen = JSON.stringify(second.events) + JSON.stringify(first.events);
    for (const secret of [token ?? '', PASSWORD]) expect(seen).not.toContain(secret);
    expect([...first.internalErrors, ...second.internalErrors]).toEqual([]);
  });

  it('a denied request sends the new device back to the key step, saying why; cancel ends a wait', async () => {
    const address = email('deny');
    const first = await firstDevice(address);
    const { app: second } = await waitingDevice(address);
    const [request] = await pending(first);
    expect(answerValue(await first.call('devices', 'deny', { id: request?.id }))).toEqual({
      denied: true,
    });
    await vi.waitFor(
      async () =>
        expect(answerValue(await second.call('sync', 'status'))).toMatchObject({
          signedIn: false,
          signIn: 'unlock-keys',
          approvalEnded: { code: 'DEVICE_APPROVAL_DENIED' },
        }),
      { timeout: 30_000, interval: 200 },
    );
    expect(new SyncAccountRepository(second.session.services().vault.db).account()).toBeNull();

    // Asked again and then cancelled: nothing stored, no sign-in left.
    answerValue(await second.call('sync', 'signInWithApproval'));
    expect(answerValue(await second.call('sync', 'signInCancel'))).toEqual({
      signedIn: false,
      signIn: null,
    });
    expect(new SyncAccountRepository(second.session.services().vault.db).account()).toBeNull();
    // A device not signed in has no approvals to list.
    expect(await second.call('devices', 'pendingApprovals')).toMatchObject({
      ok: false,
      code: 'SYNC_NOT_SET_UP',
    });
  });

  it('a change saved on one device reaches the other as sync.applied; a revoked device is shredded and told why', async () => {
    const address = email('live');
    const first = await firstDevice(address);
    const { app: second, step } = await waitingDevice(address);
    const [request] = await pending(first);
    answerValue(await first.call('security', 'stepUp', { password: PASSWORD }));
    answerValue(await first.call('devices', 'approve', { id: request?.id, code: step.code }));
    await vi.waitFor(
      () =>
        expect(syncEvents(second).some((s) => s.signedIn && s.loop?.state === 'synced')).toBe(true),
      { timeout: 60_000, interval: 100 },
    );
    first.session.resumeSync((event) => first.events.push(event));
    answerValue(await first.call('accounts', 'create', { name: 'Checking', currency: 'EUR' }));
    const made = answerValue<{ id: string }>(
      await first.call('transactions', 'create', {
        accountId: 'Checking',
        date: '2026-11-02',
        amountMinor: -1234,
        payeeName: 'Harbour cafe',
      }),
    );
    await vi.waitFor(
      async () => {
        expect(second.events.some((e) => e.name === 'sync.applied')).toBe(true);
        const page = answerValue<{ items: { id: string }[] }>(
          await second.call('transactions', 'list', {}),
        );
        expect(page.items.map((t) => t.id)).toContain(made.id);
      },
      { timeout: 60_000, interval: 200 },
    );

    // The first device revokes the second's session (a step-up, then the key rotation).
    const sessions = await accountService(first).sessions();
    const secondSession = sessions.find((s) => !s.current);
    expect(secondSession).toBeDefined();
    await accountService(first).revokeSession(secondSession?.id ?? '', { password: PASSWORD });
    const vaultDir = second.session.vaultDir;
    answerValue(await second.call('sync', 'syncNow'));
    await vi.waitFor(
      () =>
        expect(second.events.find((e) => e.name === 'vault.removed')?.data).toMatchObject({
          code: 'SESSION_REVOKED',
          message: expect.stringContaining('crypto-shredded') as unknown,
        }),
      { timeout: 60_000, interval: 200 },
    );
    expect(answerValue(await second.call('app', 'status'))).toMatchObject({
      vault: 'missing',
      removal: { code: 'SESSION_REVOKED' },
    });
    expect(fs.readdirSync(vaultDir).filter((f) => f.startsWith('vault'))).toEqual([]);
    expect(await second.call('transactions', 'list', {})).toMatchObject({
      ok: false,
      code: 'VAULT_CLOSED',
    });
    // A new vault in its place: the notice was about the one before, and is not shown over it.
    answerValue(await second.call('app', 'createVault'));
    expect(answerValue(await second.call('app', 'status'))).toMatchObject({
      vault: 'open',
      removal: null,
    });
  });

  it('a member removed from the workspace is shredded and told so, with its own code', async () => {
    const admin = await firstDevice(email('admin'));
    const member = await openApiTestApp();
    const memberAddress = email('member');
    answerValue(
      await member.call('sync', 'signUp', {
        ...serverInput(),
        email: memberAddress,
        password: PASSWORD,
      }),
    );
    const { token } = await accountService(admin).invite(memberAddress, 'member');
    answerValue(await member.call('workspace', 'join', { token }));
    await accountService(admin).members();
    await vi.waitFor(
      () =>
        expect(syncEvents(member).some((s) => s.signedIn && s.loop?.state === 'synced')).toBe(true),
      { timeout: 60_000, interval: 100 },
    );
    await accountService(admin).removeMember(memberAddress, { password: PASSWORD });
    answerValue(await member.call('sync', 'syncNow'));
    await vi.waitFor(
      () =>
        expect(member.events.find((e) => e.name === 'vault.removed')?.data).toMatchObject({
          code: 'MEMBER_REMOVED',
          message: expect.stringContaining('removed from the workspace') as unknown,
        }),
      { timeout: 60_000, interval: 200 },
    );
    expect(answerValue(await member.call('app', 'status'))).toMatchObject({ vault: 'missing' });
    expect(answerValue(await admin.call('app', 'status'))).toMatchObject({ vault: 'open' });
  });
});
