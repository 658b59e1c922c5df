import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createPruneJob } from '../audit/audit.prune.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { LogPruningService } from '../sync/log-pruning.service.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { uploadSnapshot } from './snapshot-support.js';
import { pull, push, randomEnvelope } from './sync-support.js';
import { adminWithWorkspace, elevate, joinAs } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

const DAY = 24 * 60 * 60_000;

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const db = () => (server.deps.storage as SqliteStorage).db;
const seqs = (workspaceId: string): number[] =>
  db()
    .prepare('SELECT seq FROM change_log WHERE workspace_id = ? ORDER BY seq')
    .pluck()
    .all(workspaceId) as number[];
const horizon = (workspaceId: string): Promise<number> =>
  new LogPruningService(server.deps).horizon(workspaceId);
const prunedThrough = (workspaceId: string): Promise<number> =>
  server.deps.storage.logPruning.prunedThrough(workspaceId);

async function pulledAt(user: User, workspaceId: string, after: number): Promise<void> {
  const res = await pull(server, user.token, workspaceId, `after=${after}&limit=1`);
  expect(res.status, res.text).toBe(200);
}

/** A workspace whose admin pushed `count` changes (seq 1 … count). */
async function workspaceWithLog(count: number): Promise<{ workspaceId: string; admin: User }> {
  const home = await adminWithWorkspace(server, 'pruned');
  const pushed = await push(
    server,
    home.admin.token,
    home.workspaceId,
    Array.from({ length: count }, () => randomEnvelope()),
  );
  expect(pushed.status, pushed.text).toBe(200);
  return home;
}

describe('pruning the change log', () => {
  it('keeps what an active device behind still needs; 410 below the mark, a pull at it works', async () => {
    const { workspaceId, admin } = await workspaceWithLog(10);
    const laggard = await joinAs(server, admin.token, workspaceId, 'member');
    await pulledAt(admin, workspaceId, 10);
    await pulledAt(laggard, workspaceId, 3);

    await uploadSnapshot(server, admin.token, workspaceId, { seq: 8 });
    // Pruned through the laggard's cursor, not through the snapshot.
    expect(await prunedThrough(workspaceId)).toBe(3);
    expect(seqs(workspaceId)).toEqual([4, 5, 6, 7, 8, 9, 10]);

    const below = await pull(server, laggard.token, workspaceId, 'after=2');
    expect(below.status).toBe(410);
    expect(below.json.error).toMatchObject({
      code: 'HISTORY_PRUNED',
      details: { snapshotSeq: 8, prunedThrough: 3 },
    });
    const at = await pull(server, laggard.token, workspaceId, 'after=3');
    expect(at.status, at.text).toBe(200);
    expect(at.json.changes.map((change) => change.seq)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(at.json).toMatchObject({ snapshot: { seq: 8 } });

    // Once the laggard has caught up, the daily job prunes through the snapshot, no further.
    await pulledAt(laggard, workspaceId, 10);
    await createPruneJob(server.deps).runOnce();
    expect(await prunedThrough(workspaceId)).toBe(8);
    expect(seqs(workspaceId)).toEqual([9, 10]);
  });

  it('a revoked, a removed or a 30-day-silent device no longer holds the log back', async () => {
    const { workspaceId, admin } = await workspaceWithLog(10);
    const revoked = await joinAs(server, admin.token, workspaceId, 'member');
    const removed = await joinAs(server, admin.token, workspaceId, 'viewer');
    const silent = await joinAs(server, admin.token, workspaceId, 'member');
    // A device that never pulled is not one that holds anything back.
    await joinAs(server, admin.token, workspaceId, 'member');
    await pulledAt(admin, workspaceId, 10);
    await pulledAt(revoked, workspaceId, 1);
    await pulledAt(removed, workspaceId, 2);
    await pulledAt(silent, workspaceId, 3);
    await uploadSnapshot(server, admin.token, workspaceId, { seq: 8 });
    expect(await prunedThrough(workspaceId)).toBe(1);

    const loggedOut = await server.request('POST', '/v1/auth/logout', { token: revoked.token });
    expect(loggedOut.status, loggedOut.text).toBe(204);
    expect(await horizon(workspaceId)).toBe(2);

    await elevate(server, admin);
    const gone = await server.request(
      'DELETE',
      `/v1/workspaces/${workspaceId}/members/${removed.user.id}`,
      { token: admin.token },
    );
    expect(gone.status, gone.text).toBe(204);
    expect(await horizon(workspaceId)).toBe(3);

    // The silent device's session stays alive (it is used, it just does not pull).
    for (let day = 0; day < 30; day += 10) {
      server.clock.advance(10 * DAY);
      expect((await server.request('GET', '/v1/me', { token: silent.token })).status).toBe(200);
      expect(await horizon(workspaceId)).toBe(3);
    }
    server.clock.advance(DAY);
    expect((await server.request('GET', '/v1/me', { token: silent.token })).status).toBe(200);
    expect(await horizon(workspaceId)).toBe(8);
    await createPruneJob(server.deps).runOnce();
    expect(await prunedThrough(workspaceId)).toBe(8);
    expect(seqs(workspaceId)).toEqual([9, 10]);
  });

  it('never prunes above the newest snapshot, and deletes in bounded batches', async () => {
    const { workspaceId, admin } = await workspaceWithLog(12);
    const pruning = new LogPruningService(server.deps);
    expect(await pruning.pruneWorkspace(workspaceId)).toBe(0);
    expect(seqs(workspaceId)).toHaveLength(12);
    await uploadSnapshot(server, admin.token, workspaceId, { seq: 0 });
    expect(await prunedThrough(workspaceId)).toBe(0);
    // Completing through the route prunes at once: here storage completes it, and the
    // pruning runs by hand, 2 rows a statement.
    await server.deps.storage.snapshots.start(
      workspaceId,
      {
        snapshotId: '01900000-0000-7000-8def-000000000001',
        seq: 5,
        keyVersion: 1,
        chunkCount: 1,
        byteLength: 1,
      },
      { userId: admin.user.id, startedAt: server.clock.now() },
    );
    await server.deps.storage.snapshots.putChunk(
      workspaceId,
      '01900000-0000-7000-8def-000000000001',
      0,
      Buffer.from([7]),
    );
    await server.deps.storage.snapshots.complete(
      workspaceId,
      '01900000-0000-7000-8def-000000000001',
      server.clock.now(),
    );
    expect(await pruning.pruneWorkspace(workspaceId, 2)).toBe(5);
    expect(seqs(workspaceId)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(await prunedThrough(workspaceId)).toBe(5);
    // The seq keeps counting past pruned rows.
    const next = await push(server, admin.token, workspaceId, [randomEnvelope()]);
    expect(next.json.results[0]?.seq).toBe(13);
    // A snapshot below the pruned mark is refused: a device could not pull after it.
    const stale = await server.request<{ error?: { code: string } }>(
      'POST',
      `/v1/workspaces/${workspaceId}/snapshots`,
      {
        token: admin.token,
        body: {
          snapshotId: '01900000-0000-7000-8def-000000000002',
          seq: 4,
          keyVersion: 1,
          chunkCount: 1,
          byteLength: 1,
        },
      },
    );
    expect([stale.status, stale.json.error?.code]).toEqual([400, 'SNAPSHOT_INVALID']);
  });
});
