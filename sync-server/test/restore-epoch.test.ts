import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EPOCH_ID_META } from '../storage/change-log.repository.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { ChangeLogService } from '../sync/change-log.service.js';
import { LogPruningService } from '../sync/log-pruning.service.js';
import { markRestored } from '../sync/restore-epoch.js';

let dir: string;
let storage: SqliteStorage;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'coffer-restore-epoch-'));
  storage = openSqliteStorage(path.join(dir, 'coffer-server.db'));
  await storage.users.create({
    id: 'u1',
    emailLookup: 'lookup-u1',
    emailSealed: 'sealed',
    passwordHash: 'hash',
    createdAt: 1,
    updatedAt: 1,
    passwordChangedAt: 1,
  });
  await storage.sessions.create({
    id: 's1',
    userId: 'u1',
    tokenHash: 'token-hash',
    deviceName: 'laptop',
    platform: 'linux',
    ip: '127.0.0.1',
    userAgent: 'test',
    createdAt: 1,
    lastSeenAt: 1,
    elevatedUntil: null,
    revokedAt: null,
    revokedReason: null,
  });
  await storage.workspaces.create(
    {
      id: 'w1',
      nameBlob: 'bmFtZQ==',
      createdAt: 1,
      policy: { requireMfa: false, forbidEmailOtp: false },
    },
    { userId: 'u1', joinedAt: 1 },
  );
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe('mark-restored', () => {
  it('gives the database a new epoch id, which push and pull answer from then on', async () => {
    const log = new ChangeLogService({ storage, clock: { now: () => 0 } });
    const before = await log.epoch();
    const marked = await markRestored(storage);
    expect(marked.previous).toBe(before);
    expect(marked.epoch).not.toBe(before);
    expect(await log.epoch()).toBe(marked.epoch);
    expect((await log.pull('w1', 0, 10, 's1')).epoch).toBe(marked.epoch);
    // Each restore is a new epoch, never one seen before.
    expect((await markRestored(storage)).epoch).not.toBe(marked.epoch);
    expect(await storage.meta.get(EPOCH_ID_META)).not.toBe(before);
  });

  it('keeps snapshots and the pruned mark: a pull below it is still refused', async () => {
    const clock = { now: () => 5_000 };
    const log = new ChangeLogService({ storage, clock });
    const origin = { userId: 'u1', sessionId: 's1', receivedAt: 1 };
    await storage.changeLog.append(
      'w1',
      Array.from({ length: 4 }, (_, n) => ({
        id: `01900000-0000-7000-8000-00000000000${n}`,
        collection: 'transactions' as const,
        keyVersion: 1,
        nonce: Buffer.alloc(12, n).toString('base64url'),
        ciphertext: Buffer.alloc(32, n).toString('base64url'),
      })),
      origin,
    );
    const snapshotId = '01900000-0000-7000-8000-0000000000aa';
    await storage.snapshots.start(
      'w1',
      { snapshotId, seq: 3, keyVersion: 1, chunkCount: 1, byteLength: 2 },
      { userId: 'u1', startedAt: 1 },
    );
    await storage.snapshots.putChunk('w1', snapshotId, 0, Buffer.from([1, 2]));
    await storage.snapshots.complete('w1', snapshotId, 2);
    await new LogPruningService({ storage, clock }).pruneWorkspace('w1');

    await markRestored(storage);
    expect((await storage.snapshots.newest('w1'))?.snapshotId).toBe(snapshotId);
    expect(await storage.logPruning.prunedThrough('w1')).toBe(3);
    await expect(log.pull('w1', 0, 10, 's1')).rejects.toMatchObject({
      statusCode: 410,
      code: 'HISTORY_PRUNED',
      details: { snapshotSeq: 3, prunedThrough: 3 },
    });
    const tail = await log.pull('w1', 3, 10, 's1');
    expect(tail.changes.map((change) => change.seq)).toEqual([4]);
    expect(tail.snapshot).toEqual({ seq: 3, createdAt: 2 });
  });
});
