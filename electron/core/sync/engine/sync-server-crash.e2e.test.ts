import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { ChangeEnvelope } from '../../../../shared/sync/change-envelope.js';
import { PayeeService } from '../../ledger/payee.service.js';
import { createTempVault } from '../../testing/temp-vault.js';
import type { TempVault } from '../../testing/temp-vault.js';
import type { SessionGrant } from '../client/account-api.client.js';
import { AccountApiClient } from '../client/account-api.client.js';
import { parseFingerprint } from '../client/pinned-agent.js';
import { SyncApiClient } from '../client/sync-api.client.js';
import type { PullPage, PushAnswer } from '../client/sync-api.client.js';
import { SyncHttpClient } from '../client/sync-http.client.js';
import { startRestartableSyncServer } from '../client/testing/restartable-sync-server.js';
import type { RestartableSyncServer } from '../client/testing/restartable-sync-server.js';
import { decryptChange } from '../crypto/change-cipher.js';
import { generateWorkspaceKey } from '../crypto/workspace-key.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { syncOnce } from './sync-once.js';

/**
 * The server killed with SIGKILL while several devices push, then started again on the same
 * data dir and port; the devices run the real sync engine (vault outbox, encryption, push,
 * acknowledge, pull) and retry on connection errors until their outboxes are empty.
 * Deterministic: the kill comes after the Nth acknowledged push, never after a sleep.
 */
const PASSWORD = 'granite harbour willow 58';
const DEVICES = 3;
/** syncOnce pushes 500 changes a batch: 3 batches per device, 9 pushes in all. */
const CHANGES_PER_DEVICE = 1_200;
const KILL_AFTER_ACKED_PUSHES = 4;

let server: RestartableSyncServer;
beforeAll(async () => {
  server = await startRestartableSyncServer();
}, 120_000);
afterAll(async () => server?.stop());

const connect = (): SyncHttpClient =>
  new SyncHttpClient({ url: server.url, fingerprint: parseFingerprint(server.fingerprint) });

async function signIn(email: string, register: boolean, device: string): Promise<SessionGrant> {
  const http = connect();
  try {
    const api = new AccountApiClient(http);
    if (register) return await api.register(email, PASSWORD, device);
    const answer = await api.login(email, PASSWORD, device);
    if (!('token' in answer)) throw new Error('login asked for a second factor');
    return answer;
  } finally {
    http.close();
  }
}

async function newWorkspace(token: string): Promise<string> {
  const http = connect();
  try {
    const created = await new AccountApiClient(http).createWorkspace(
      token,
      Buffer.from('sealed name').toString('base64'),
    );
    return created.id;
  } finally {
    http.close();
  }
}

/** Every change of the workspace log, page by page from seq 0. */
async function pullAll(token: string, workspaceId: string): Promise<PullPage['changes']> {
  const http = connect();
  try {
    const api = new SyncApiClient(http, token);
    const all: PullPage['changes'] = [];
    let after = 0;
    for (;;) {
      const page = await api.pull(workspaceId, after);
      all.push(...page.changes);
      after = page.nextAfter;
      if (!page.more) return all;
    }
  } finally {
    http.close();
  }
}

/** What a connection to a dead or restarting server gives; anything else fails the test. */
const isConnectionError = (error: unknown): boolean =>
  isCofferError(error) && error.code === 'SERVER_UNREACHABLE';

interface Device {
  name: string;
  temp: TempVault;
  token: string;
  /** Change ids this device wrote, in order. */
  written: string[];
  failedAttempts: number;
}

describe('sync through a server crash', { timeout: 600_000 }, () => {
  it('SIGKILL during concurrent pushes: every acknowledged change is in the log exactly once, and every change once the devices retried', async () => {
    const email = `crash-${process.pid}@example.test`;
    const owner = await signIn(email, true, 'device 0');
    const workspaceId = await newWorkspace(owner.token);
    const keyring = new WorkspaceKeyring(workspaceId, [generateWorkspaceKey(workspaceId, 1)]);

    const devices: Device[] = [];
    try {
      for (let n = 0; n < DEVICES; n++) {
        const token = n === 0 ? owner.token : (await signIn(email, false, `device ${n}`)).token;
        const temp = await createTempVault({ outbox: true });
        const payees = new PayeeService(temp.vault);
        temp.vault.transaction(() => {
          for (let i = 0; i < CHANGES_PER_DEVICE; i++) payees.create({ name: `d${n} payee ${i}` });
        });
        const written = temp.vault.changes.pending(CHANGES_PER_DEVICE + 1).map((e) => e.change.id);
        expect(written).toHaveLength(CHANGES_PER_DEVICE);
        devices.push({ name: `device ${n}`, temp, token, written, failedAttempts: 0 });
      }

      // What each device was told: change id → seq, from every answer it received.
      const acknowledged = new Map<string, number>();
      let ackedPushes = 0;
      let killed: Promise<void> | undefined;
      let signalFirstFailure = (): void => undefined;
      const firstFailure = new Promise<void>((resolve) => (signalFirstFailure = resolve));

      /** The real client; it notes each answer, and the Nth answer kills the server. */
      class WatchedSyncApi extends SyncApiClient {
        override async push(id: string, changes: readonly ChangeEnvelope[]): Promise<PushAnswer> {
          const answer = await super.push(id, changes);
          for (const result of answer.results) {
            if (result.status !== 'accepted' || result.seq === undefined) continue;
            const known = acknowledged.get(result.id);
            if (known !== undefined && known !== result.seq) {
              throw new Error(
                `change ${result.id} acknowledged at seq ${known}, then ${result.seq}`,
              );
            }
            acknowledged.set(result.id, result.seq);
          }
          ackedPushes += 1;
          if (ackedPushes === KILL_AFTER_ACKED_PUSHES) {
            killed = server.kill('SIGKILL');
            await killed;
          }
          return answer;
        }
      }

      const runDevice = async (device: Device): Promise<void> => {
        let backoffMs = 50;
        for (;;) {
          const http = connect();
          try {
            const result = await syncOnce(
              device.temp.vault,
              new WatchedSyncApi(http, device.token),
              workspaceId,
              keyring,
            );
            expect(result.pushRejected, device.name).toEqual([]);
            if (device.temp.vault.changes.pendingCount() === 0) return;
          } catch (error) {
            if (!isConnectionError(error)) throw error;
            device.failedAttempts += 1;
            signalFirstFailure();
            // A device backs off and tries again; how long it waits changes nothing asserted.
            await new Promise((resolve) => setTimeout(resolve, backoffMs));
            backoffMs = Math.min(backoffMs * 2, 1_000);
          } finally {
            http.close();
          }
        }
      };

      const restarted = (async () => {
        await firstFailure;
        if (killed === undefined) throw new Error('a device failed before the server was killed');
        await killed;
        await server.restart();
      })();
      await Promise.all([...devices.map(runDevice), restarted]);

      expect(ackedPushes).toBeGreaterThan(KILL_AFTER_ACKED_PUSHES);
      expect(devices.reduce((sum, d) => sum + d.failedAttempts, 0)).toBeGreaterThan(0);
      for (const device of devices) expect(device.temp.vault.changes.pendingCount()).toBe(0);

      const log = await pullAll(owner.token, workspaceId);
      const seqs = log.map((change) => change.seq);
      // Gapless and increasing from 1.
      expect(seqs).toEqual(Array.from({ length: log.length }, (_, n) => n + 1));
      const ids = log.map((change) => change.id);
      // Each change exactly once: no id twice, and nothing but what the devices wrote.
      expect(new Set(ids).size).toBe(ids.length);
      const written = devices.flatMap((device) => device.written);
      expect([...ids].sort()).toEqual([...written].sort());
      // Every acknowledgement a device saw names the seq the change holds in the log.
      const seqOf = new Map(log.map((change) => [change.id, change.seq]));
      expect(acknowledged.size).toBe(written.length);
      for (const [id, seq] of acknowledged) expect(seqOf.get(id), id).toBe(seq);
      // And they are real changes under the workspace key, as the devices wrote them.
      const opened = log.map(({ seq: _seq, ...envelope }) => decryptChange(envelope, keyring));
      expect(new Set(opened.map((change) => change.recordId)).size).toBe(written.length);

      // One more round each, and every device holds every device's payees.
      for (const device of devices) {
        const http = connect();
        try {
          await syncOnce(
            device.temp.vault,
            new SyncApiClient(http, device.token),
            workspaceId,
            keyring,
          );
        } finally {
          http.close();
        }
        expect(new PayeeService(device.temp.vault).list(), device.name).toHaveLength(
          DEVICES * CHANGES_PER_DEVICE,
        );
      }
    } finally {
      for (const device of devices) device.temp.cleanup();
    }
  });

  it('a push whose answer was lost is retried with the same bytes and acknowledged, not refused', async () => {
    const email = `lost-answer-${process.pid}@example.test`;
    const grant = await signIn(email, true, 'laptop');
    const workspaceId = await newWorkspace(grant.token);
    const keyring = new WorkspaceKeyring(workspaceId, [generateWorkspaceKey(workspaceId, 1)]);
    const temp = await createTempVault({ outbox: true });
    try {
      const payees = new PayeeService(temp.vault);
      for (const name of ['Bakery', 'Garage', 'Florist']) payees.create({ name });
      const written = temp.vault.changes.pending(10).map((entry) => entry.change.id);

      /** The server commits the push; its answer never arrives (a dropped connection). */
      class LostAnswerSyncApi extends SyncApiClient {
        override async push(id: string, changes: readonly ChangeEnvelope[]): Promise<PushAnswer> {
          await super.push(id, changes);
          throw new CofferError('SERVER_UNREACHABLE', 'The connection to the sync server broke.');
        }
      }
      const http = connect();
      try {
        await expect(
          syncOnce(temp.vault, new LostAnswerSyncApi(http, grant.token), workspaceId, keyring),
        ).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
        expect(temp.vault.changes.pendingCount()).toBe(3);

        const retry = await syncOnce(
          temp.vault,
          new SyncApiClient(http, grant.token),
          workspaceId,
          keyring,
        );
        expect(retry.pushRejected).toEqual([]);
        expect(retry.pushed).toBe(3);
        expect(temp.vault.changes.pendingCount()).toBe(0);
      } finally {
        http.close();
      }
      const log = await pullAll(grant.token, workspaceId);
      expect(log.map((change) => [change.seq, change.id])).toEqual(
        written.map((id, n) => [n + 1, id]),
      );
    } finally {
      temp.cleanup();
    }
  });
});
