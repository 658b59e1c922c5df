import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import { DatabaseInUseError, openPostgresStorage } from '../storage/postgres/postgres-storage.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { startPostgresCluster } from './support/postgres-cluster.js';
import type { PostgresCluster } from './support/postgres-cluster.js';
import { openSyncSocket, opened } from './support/sync-socket-client.js';
import type { OpenSyncSocket } from './support/sync-socket-client.js';
import { pull, push, randomEnvelope } from './sync-support.js';
import { adminWithWorkspace, joinAs } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

/**
 * PostgreSQL restarted under two instances while devices push: a cluster of this file's own
 * (the run's shared one serves other files), halted and started again on the same port.
 */
let cluster: PostgresCluster;
let keyRoot: string;
let first: AccountsTestServer;
let second: AccountsTestServer;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE coffer_restart');
  await admin.end();
  keyRoot = await mkdtemp(path.join(tmpdir(), 'coffer-restart-key-'));
  const config = {
    storage: 'postgres' as const,
    databaseUrl: cluster.urlFor('coffer_restart'),
    keyFile: path.join(keyRoot, 'master-key'),
  };
  const syncSocketLimits = { heartbeatMs: 3_600_000 };
  first = await startAccountsServer({ config, syncSocketLimits });
  second = await startAccountsServer({ config, syncSocketLimits });
}, 120_000);
afterAll(async () => {
  await first?.close();
  await second?.close();
  await cluster?.stop();
  if (keyRoot !== undefined) await rm(keyRoot, { recursive: true, force: true });
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls readiness until it answers `status`; the test's timeout bounds it. */
async function untilReadiness(server: AccountsTestServer, status: number): Promise<void> {
  for (;;) {
    const response = await server.request('GET', '/v1/health/ready').catch(() => undefined);
    if (response?.status === status) return;
    await pause(50);
  }
}

async function heardUpTo(socket: OpenSyncSocket, seq: number): Promise<void> {
  for (;;) if ((await socket.nextMessage()).seq >= seq) return;
}

interface Device {
  user: User;
  /** The batches it pushes, in order. */
  batches: ChangeEnvelope[][];
  /** change id → the seq the server answered, from every answer received. */
  acknowledged: Map<string, number>;
  /** Answers that were not 200: what the device waited out and sent again. */
  refused: string[];
}

/**
 * Pushes each batch until it is accepted, alternating instances; a 503 or a broken
 * connection means wait and send the same batch again (idempotent by change id).
 */
async function runDevice(device: Device, workspaceId: string, onAck: () => void): Promise<void> {
  let turn = 0;
  for (const batch of device.batches) {
    for (;;) {
      turn += 1;
      const server = turn % 2 === 0 ? first : second;
      const answer = await push(server, device.user.token, workspaceId, batch).catch(
        (error: unknown) => ({ status: 0, text: String(error), json: undefined }),
      );
      if (answer.status === 200 && answer.json !== undefined) {
        for (const result of answer.json.results) {
          expect(result.status).toBe('accepted');
          const known = device.acknowledged.get(result.id);
          if (known !== undefined) expect(result.seq).toBe(known);
          device.acknowledged.set(result.id, result.seq ?? -1);
        }
        onAck();
        break;
      }
      device.refused.push(`${answer.status} ${answer.text.slice(0, 200)}`);
      await pause(50);
    }
  }
}

describe('PostgreSQL restarted under load', { timeout: 240_000 }, () => {
  it('instances report not ready while it is down, recover without a restart, and nothing is lost or doubled', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'restart');
    const member = await joinAs(second, admin.token, workspaceId, 'member');
    const socket: OpenSyncSocket = opened(await openSyncSocket(first, workspaceId, admin.token));

    const devices: Device[] = [admin, member].map((user) => ({
      user,
      batches: Array.from({ length: 40 }, () => Array.from({ length: 5 }, () => randomEnvelope())),
      acknowledged: new Map(),
      refused: [],
    }));
    let acks = 0;
    let signalEnoughAcks = (): void => undefined;
    const enoughAcks = new Promise<void>((resolve) => (signalEnoughAcks = resolve));
    const load = Promise.all(
      devices.map((device) =>
        runDevice(device, workspaceId, () => {
          acks += 1;
          if (acks === 4) signalEnoughAcks();
        }),
      ),
    );

    await enoughAcks;
    await cluster.halt();
    await Promise.all([untilReadiness(first, 503), untilReadiness(second, 503)]);
    // A push now waits for the database: 503 with Retry-After, never a 500.
    const refused = await push(first, admin.token, workspaceId, [randomEnvelope()]);
    expect([refused.status, refused.json.error?.code]).toEqual([503, 'STORAGE_UNAVAILABLE']);
    expect(refused.headers['retry-after']).toBe('1');

    await cluster.start();
    await Promise.all([untilReadiness(first, 200), untilReadiness(second, 200)]);
    await load;
    // The devices did meet the outage, and got through it by sending again.
    expect(devices.flatMap((device) => device.refused).length).toBeGreaterThan(0);

    const all: { id: string; seq: number }[] = [];
    for (let after = 0; ;) {
      const page = await pull(second, member.token, workspaceId, `after=${after}`);
      expect(page.status, page.text).toBe(200);
      all.push(...page.json.changes.map(({ id, seq }) => ({ id, seq })));
      after = page.json.nextAfter;
      if (!page.json.more) break;
    }
    const written = devices.flatMap((device) => device.batches.flat().map((change) => change.id));
    // Every change exactly once, seqs without a gap, and each where its device was told.
    expect(all.map((change) => change.id).sort()).toEqual([...written].sort());
    expect(all.map((change) => change.seq)).toEqual(all.map((_, n) => n + 1));
    const seqOf = new Map(all.map((change) => [change.id, change.seq]));
    for (const device of devices) {
      for (const [id, seq] of device.acknowledged) expect(seqOf.get(id)).toBe(seq);
    }

    // The instances took their claim on the database again: a maintenance command that
    // needs them all stopped is still refused (tried until the claims are back).
    for (;;) {
      const maintenance = await openPostgresStorage(cluster.urlFor('coffer_restart'));
      try {
        await maintenance.claim('exclusive');
      } catch (error) {
        expect(error).toBeInstanceOf(DatabaseInUseError);
        break;
      } finally {
        await maintenance.close();
      }
      await pause(100);
    }

    // The announcements work across instances again, with no instance restarted.
    const pushed = await push(second, member.token, workspaceId, [randomEnvelope()]);
    expect(pushed.status, pushed.text).toBe(200);
    await heardUpTo(socket, all.length + 1);
    socket.client.close();
  });
});
