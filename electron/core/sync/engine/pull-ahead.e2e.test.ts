import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { holdsAnyRecord } from '../snapshot/snapshot-bulk-load.js';
import { startSyncServerProcess } from '../client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../client/testing/sync-server-process.js';
import { syncOnce } from './sync-once.js';
import { loopDevice, targetOf, type LoopDevice } from './testing/loop-device.js';

/**
 * A device pulling a long log asks for the next page before it opens and applies the page
 * it has, so the server reads and sends one while the device works on the other. Node
 * hands a request its connection only when the event loop turns: a request made just
 * before the synchronous apply went out after it, and the device then waited for every
 * page in turn. Checked on the real request objects (Node's `http.client.request.start`
 * channel) against the real server in a child process: when a page has been applied, the
 * request for the next one already has its connection. A new device loading a snapshot
 * asks for the log after it the same way, before the load.
 */
const PASSWORD = 'ember lattice harbour 63';
/** Enough changes for several pages: a page holds at most 1 MB, about a thousand changes. */
const TRANSACTIONS = 3_000;

let server: SyncServerProcess;
let admin: LoopDevice;
let colleague: LoopDevice;
let newcomer: LoopDevice | undefined;

beforeAll(async () => {
  server = await startSyncServerProcess();
  admin = await loopDevice('Pull-ahead admin');
  colleague = await loopDevice('Pull-ahead colleague');
  const tag = `${process.pid}-${Date.now()}`;
  const colleagueEmail = `colleague-${tag}@example.test`;
  await admin.account.register(targetOf(server), {
    email: `admin-${tag}@example.test`,
    password: PASSWORD,
  });
  await admin.account.createWorkspace('Pull-ahead books');
  admin.accounts.create({ name: 'Checking', currency: 'EUR' });
  admin.transactions.createMany(
    Array.from({ length: TRANSACTIONS }, (_, i) => ({
      accountId: 'Checking',
      date: '2026-11-02',
      amountMinor: -(i + 1),
      payeeName: `Payee ${i % 50}`,
    })),
  );
  await admin.account.withWorkspaceSync((api, workspace, keyring) =>
    syncOnce(admin.vault, api, workspace.workspaceId, keyring),
  );
  await colleague.account.register(targetOf(server), {
    email: colleagueEmail,
    password: PASSWORD,
  });
  const { token } = await admin.account.invite(colleagueEmail, 'member');
  await colleague.account.join(token);
  // The admin's device seals the workspace key to the new member.
  await admin.account.members();
}, 180_000);

afterAll(async () => {
  for (const device of [admin, colleague, newcomer]) device?.cleanup();
  await server?.stop();
});

describe('pulling a long log', () => {
  it('has the next page on its way while a page is applied', async () => {
    const pulls: ClientRequest[] = [];
    const onRequest = (message: unknown): void => {
      const { request } = message as { request: ClientRequest };
      if (request.path.includes('/sync/pull')) pulls.push(request);
    };
    // At each page applied: how many pulls had started, and whether the newest had its
    // connection yet.
    const seen: { pulls: number; connected: boolean }[] = [];
    subscribe('http.client.request.start', onRequest);
    try {
      const result = await colleague.account.withWorkspaceSync((api, workspace, keyring) =>
        syncOnce(colleague.vault, api, workspace.workspaceId, keyring, {
          onProgress: () => {
            const newest = pulls.at(-1);
            if (newest !== undefined) {
              seen.push({ pulls: pulls.length, connected: newest.socket !== null });
            }
          },
        }),
      );
      expect(result.applied).toBeGreaterThanOrEqual(TRANSACTIONS);
    } finally {
      unsubscribe('http.client.request.start', onRequest);
    }
    // Several pages. When page k (from 1) was applied, k + 1 pulls had started, but when the
    // last was: nothing comes after it.
    const pages = pulls.length;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.map((s) => s.pulls)).toEqual(
      Array.from({ length: pages }, (_, i) => Math.min(i + 2, pages)),
    );
    expect(seen.filter((s) => !s.connected)).toEqual([]);
    expect(colleague.transactions.list({ limit: TRANSACTIONS + 1 })).toHaveLength(TRANSACTIONS);
  }, 180_000);
});

describe('a new device loading a snapshot', () => {
  it('has the first page after the snapshot on its way before the load starts', async () => {
    const sync = (device: LoopDevice, writeSnapshots = false) =>
      device.account.withWorkspaceSync((api, workspace, keyring) =>
        syncOnce(device.vault, api, workspace.workspaceId, keyring, { writeSnapshots }),
      );
    const written = (await sync(admin, true)).snapshot.written;
    expect(written).not.toBeNull();
    const AFTER_SNAPSHOT = 5;
    admin.transactions.createMany(
      Array.from({ length: AFTER_SNAPSHOT }, (_, i) => ({
        accountId: 'Checking',
        date: '2026-11-03',
        amountMinor: -(i + 1),
        payeeName: 'After the snapshot',
      })),
    );
    await sync(admin);
    const device = await loopDevice('Snapshot newcomer');
    newcomer = device;
    const email = `newcomer-${process.pid}-${Date.now()}@example.test`;
    await device.account.register(targetOf(server), { email, password: PASSWORD });
    await device.account.join((await admin.account.invite(email, 'member')).token);
    await admin.account.members();

    const pulls: ClientRequest[] = [];
    const onRequest = (message: unknown): void => {
      const { request } = message as { request: ClientRequest };
      if (request.path.includes('/sync/pull')) pulls.push(request);
    };
    // The snapshot's load is the last transaction the device opens while its vault holds no
    // record: what the pulls were then is what the load started with.
    let atLoad: { pulls: number; connected: boolean } | undefined;
    const { vault } = device;
    const transaction = vault.transaction.bind(vault);
    vault.transaction = <T>(fn: () => T): T => {
      if (!holdsAnyRecord(vault)) {
        atLoad = { pulls: pulls.length, connected: pulls[0]?.socket != null };
      }
      return transaction(fn);
    };
    subscribe('http.client.request.start', onRequest);
    let result: Awaited<ReturnType<typeof sync>>;
    try {
      result = await sync(device);
    } finally {
      unsubscribe('http.client.request.start', onRequest);
      vault.transaction = transaction;
    }
    expect(result.snapshot.loaded).toBe(written);
    expect(pulls[0]?.path).toContain(`after=${String(written)}`);
    expect(atLoad).toEqual({ pulls: 1, connected: true });
    expect(result.pulled).toBeGreaterThanOrEqual(AFTER_SNAPSHOT);
    expect(device.transactions.list({ limit: TRANSACTIONS + AFTER_SNAPSHOT + 1 })).toHaveLength(
      TRANSACTIONS + AFTER_SNAPSHOT,
    );
  }, 180_000);
});
