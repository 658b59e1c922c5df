import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { seqChannel } from '../storage/postgres/pg-seq-announcer.js';
import type { AccountsTestServer } from './accounts-support.js';
import { openSyncSocket, opened } from './support/sync-socket-client.js';
import type { OpenSyncSocket } from './support/sync-socket-client.js';
import { push, randomEnvelope } from './sync-support.js';
import { startTwoPostgresInstances, type TwoInstances } from './support/postgres-instances.js';
import { adminWithWorkspace, joinAs } from './workspaces-support.js';

let instances: TwoInstances;
let databaseUrl: string;
let first: AccountsTestServer;
let second: AccountsTestServer;

beforeAll(async () => {
  instances = await startTwoPostgresInstances({ syncSocketLimits: { heartbeatMs: 3_600_000 } });
  ({ databaseUrl, first, second } = instances);
});
afterAll(() => instances?.close());

/** Resolves with the first message whose seq is at least `seq` (earlier ones are skipped). */
async function heardUpTo(socket: OpenSyncSocket, seq: number): Promise<number> {
  for (;;) {
    const message = await socket.nextMessage();
    if (message.seq >= seq) return message.seq;
  }
}

const newestSeq = (results: { seq?: number }[]): number =>
  Math.max(...results.map((result) => result.seq ?? 0));

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The announcement channel of this file's schema (picked by the URL's search_path). */
function channel(): string {
  const options = new URL(databaseUrl).searchParams.get('options') ?? '';
  return seqChannel(options.replace(/^-c search_path=/, ''));
}

/** Polls readiness until it answers 200; the test's own timeout bounds it. */
async function untilReady(server: AccountsTestServer): Promise<void> {
  for (;;) {
    const response = await server.request('GET', '/v1/health/ready');
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('realtime announcements across instances on one PostgreSQL database', () => {
  it('a socket on one instance hears a push taken by the other, seq and epoch only', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'fan-out');
    const member = await joinAs(first, admin.token, workspaceId, 'member');
    const socket = opened(await openSyncSocket(first, workspaceId, member.token));
    // Another workspace's listener on the same instance must not hear this workspace.
    const other = await adminWithWorkspace(second, 'elsewhere');
    const elsewhere = opened(await openSyncSocket(first, other.workspaceId, other.admin.token));

    const pushed = await push(second, admin.token, workspaceId, [
      randomEnvelope(),
      randomEnvelope(),
    ]);
    expect(pushed.status, pushed.text).toBe(200);
    const heard = await socket.nextMessage();
    expect(heard).toEqual({
      type: 'seq',
      seq: newestSeq(pushed.json.results),
      epoch: pushed.json.epoch,
    });

    // The other workspace's push reaches its own listener and nothing else; by then the
    // first push's word would have reached it had it been sent there.
    const theirs = await push(first, other.admin.token, other.workspaceId, [randomEnvelope()]);
    expect(await elsewhere.nextMessage()).toMatchObject({ type: 'seq', seq: 1 });
    expect(theirs.status).toBe(200);
    expect(elsewhere.messages).toHaveLength(1);
    socket.client.close();
    elsewhere.client.close();
  });

  it('sends only the workspace id and the seq through PostgreSQL', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'payload');
    const payloads = await withAdminClient(async (client) => {
      const heard: string[] = [];
      client.on('notification', (message) => heard.push(message.payload ?? ''));
      await client.query(`LISTEN ${client.escapeIdentifier(channel())}`);
      const envelope = randomEnvelope();
      const pushed = await push(second, admin.token, workspaceId, [envelope]);
      expect(pushed.status).toBe(200);
      // A round trip on this connection after the push delivers what was sent before it.
      while (heard.length === 0) await client.query('SELECT 1');
      expect(heard.join('')).not.toContain(envelope.ciphertext);
      return heard;
    });
    expect(payloads.map((payload) => JSON.parse(payload) as unknown)).toEqual([
      { w: workspaceId, s: 1 },
    ]);
  });

  it('ignores notifications that are not well-formed announcements', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'hostile');
    const socket = opened(await openSyncSocket(first, workspaceId, admin.token));
    await withAdminClient(async (client) => {
      for (const payload of [
        'not json',
        JSON.stringify({ w: workspaceId, s: -1 }),
        JSON.stringify({ w: workspaceId, s: 1.5 }),
        JSON.stringify({ w: workspaceId, s: 7, data: 'extra' }),
        JSON.stringify({ w: 'not-a-uuid', s: 7 }),
        JSON.stringify([workspaceId, 7]),
      ]) {
        await client.query('SELECT pg_notify($1, $2)', [channel(), payload]);
      }
    });
    // The pushed change's announcement is the first thing the socket hears.
    const pushed = await push(second, admin.token, workspaceId, [randomEnvelope()]);
    expect(pushed.status).toBe(200);
    expect(await socket.nextMessage()).toMatchObject({ type: 'seq', seq: 1 });
    expect(socket.messages).toHaveLength(1);
    socket.client.close();
  });

  it('listens again after its connection is cut, and tells sockets the head they may have missed', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'reconnect');
    const socket = opened(await openSyncSocket(first, workspaceId, admin.token));
    const announcer = first.deps.seqAnnouncer;
    expect(announcer.listening).toBe(true);

    // Cut every listening connection of this database (both instances'), as a restart would.
    const cut = await withAdminClient(async (client) => {
      const { rows } = await client.query<{ cut: boolean }>(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE $1`,
        [`LISTEN "${channel()}"`],
      );
      return rows;
    });
    expect(cut.length).toBeGreaterThanOrEqual(2);

    // Pushed while the listener may be down: the head told after the reconnect covers it.
    const pushed = await push(second, admin.token, workspaceId, [randomEnvelope()]);
    expect(pushed.status, pushed.text).toBe(200);
    expect(await heardUpTo(socket, 1)).toBe(1);
    await untilReady(first);
    expect(announcer.listening).toBe(true);

    const again = await push(second, admin.token, workspaceId, [randomEnvelope()]);
    expect(again.status).toBe(200);
    expect(await heardUpTo(socket, 2)).toBe(2);
    socket.client.close();
  });

  it('uses one listening connection per instance, whatever the number of sockets', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'connections');
    const sockets = await Promise.all(
      [first, first, second].map(async (server) =>
        opened(await openSyncSocket(server, workspaceId, admin.token)),
      ),
    );
    const listeners = await withAdminClient(async (client) => {
      const { rows } = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE $1`,
        [`LISTEN "${channel()}"`],
      );
      return rows[0]?.count;
    });
    expect(listeners).toBe(2);
    for (const socket of sockets) socket.client.close();
  });
});
