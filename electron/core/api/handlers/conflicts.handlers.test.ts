import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { ConflictView } from '../../../../shared/api/conflicts.methods.js';
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { startSyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../../sync/client/testing/sync-server-process.js';
import { SyncAccountService } from '../../sync/sync-account.service.js';
import { MemoryKeyStore } from '../../vault/memory.key-store.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/**
 * "Needs review" through the API: two vaults synced through the real server (TLS 1.3,
 * pinned), the same amount edited on both while their loops are stopped, then synced.
 */
const PASSWORD = 'quartz meadow lantern 71';

let server: SyncServerProcess;
beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const serverInput = () => ({ url: server.url, fingerprint: server.fingerprint });

async function synced(app: ApiTestApp): Promise<void> {
  const before = app.events.length;
  answerValue(await app.call('sync', 'syncNow'));
  await vi.waitFor(
    () =>
      expect(
        app.events
          .slice(before)
          .some(
            (e) =>
              e.name === 'sync.status' &&
              (e.data as SyncAccountStatus).signedIn &&
              (e.data as { loop: { state: string } | null }).loop?.state === 'synced',
          ),
      ).toBe(true),
    { timeout: 60_000, interval: 100 },
  );
}

async function amountOf(app: ApiTestApp, id: string): Promise<number> {
  return answerValue<{ amountMinor: number }>(await app.call('transactions', 'get', { id }))
    .amountMinor;
}

describe('conflicts through the API', { timeout: 240_000 }, () => {
  it('lists both kept amounts with their currency on both devices; choosing one settles it everywhere', async () => {
    const address = `review-${process.pid}@example.test`;
    const first = await openApiTestApp();
    const { recoveryKey } = answerValue<{ recoveryKey: string }>(
      await first.call('sync', 'signUp', { ...serverInput(), email: address, password: PASSWORD }),
    );
    await new SyncAccountService({
      vault: first.session.services().vault,
      keyStore: new MemoryKeyStore(),
      deviceName: 'Workspace maker',
    }).createWorkspace('Harbour books');
    first.session.resumeSync((event) => first.events.push(event));
    answerValue(await first.call('accounts', 'create', { name: 'Checking', currency: 'EUR' }));
    const tx = answerValue<{ id: string }>(
      await first.call('transactions', 'create', {
        accountId: 'Checking',
        date: '2026-11-02',
        amountMinor: -1200,
        payeeName: 'Harbour cafe',
      }),
    );
    await synced(first);

    const second = await openApiTestApp();
    answerValue(
      await second.call('sync', 'signInStart', {
        ...serverInput(),
        email: address,
        password: PASSWORD,
      }),
    );
    answerValue(await second.call('sync', 'signInWithRecoveryKey', { recoveryKey }));
    await vi.waitFor(async () => expect(await amountOf(second, tx.id)).toBe(-1200), {
      timeout: 60_000,
      interval: 200,
    });
    expect(answerValue(await second.call('conflicts', 'count'))).toBe(0);

    // Both loops stopped: each edit waits in its outbox, made without the other's.
    await first.session.stopSync();
    await second.session.stopSync();
    answerValue(
      await first.call('transactions', 'update', { id: tx.id, patch: { amountMinor: -1500 } }),
    );
    answerValue(
      await second.call('transactions', 'update', { id: tx.id, patch: { amountMinor: -1800 } }),
    );
    await synced(first);
    await synced(second);
    await synced(first);

    const onFirst = answerValue<ConflictView[]>(await first.call('conflicts', 'list'));
    const onSecond = answerValue<ConflictView[]>(await second.call('conflicts', 'list'));
    expect(onFirst).toHaveLength(1);
    const [conflict] = onFirst;
    expect(conflict).toMatchObject({
      collection: 'transactions',
      recordId: tx.id,
      field: 'amountMinor',
      currency: 'EUR',
      label: 'Harbour cafe, 2026-11-02',
      recordDeleted: false,
    });
    expect(new Set([conflict?.mine.value, conflict?.theirs.value])).toEqual(
      new Set([-1500, -1800]),
    );
    expect(conflict?.mine.editedAt).toEqual(expect.any(Number));
    // The same conflict, and the same value shown, on both; each knows which edit was its own.
    expect(onSecond.map((c) => [c.id, c.mine.value, c.theirs.value])).toEqual(
      onFirst.map((c) => [c.id, c.mine.value, c.theirs.value]),
    );
    expect(onSecond[0]?.mine.thisDevice).toBe(!conflict?.mine.thisDevice);
    expect(answerValue(await second.call('conflicts', 'count'))).toBe(1);

    // Refused: an unknown id, a value of another kind, a fraction of a minor unit.
    expect(
      await first.call('conflicts', 'resolve', { id: 'no-such-conflict', keep: 'mine' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    for (const keep of [{ value: '-15.00' }, { value: -15.5 }, 'both']) {
      expect(
        await first.call('conflicts', 'resolve', { id: conflict?.id, keep }),
        JSON.stringify(keep),
      ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }

    const kept = conflict?.theirs.value;
    answerValue(await first.call('conflicts', 'resolve', { id: conflict?.id, keep: 'theirs' }));
    expect(first.events.some((e) => e.name === 'data.changed')).toBe(true);
    expect(await amountOf(first, tx.id)).toBe(kept);
    expect(answerValue(await first.call('conflicts', 'list'))).toEqual([]);
    await synced(first);
    await synced(second);
    expect(await amountOf(second, tx.id)).toBe(kept);
    expect(answerValue(await second.call('conflicts', 'list'))).toEqual([]);
    expect([...first.internalErrors, ...second.internalErrors]).toEqual([]);
  });
});
