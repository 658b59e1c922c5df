import { randomBytes, randomUUID } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ChangeEnvelope } from '../../../shared/sync/change-envelope.js';
import type { ActiveDeviceRule } from '../log-pruning.repository.js';
import type { Storage } from '../storage.js';
import { openSqliteStorage } from './sqlite-storage.js';

// Written against the Storage interface only (no SQL), so the PostgreSQL storage can run
// the same cases.

let storage: Storage;
const DAY = 24 * 60 * 60_000;
const NOW = 100 * DAY;
const rule: ActiveDeviceRule = {
  now: NOW,
  pulledSince: NOW - 30 * DAY,
  idleMs: 14 * DAY,
  absoluteMs: 90 * DAY,
};

const envelope = (): ChangeEnvelope => ({
  id: randomUUID(),
  collection: 'transactions',
  keyVersion: 1,
  nonce: randomBytes(12).toString('base64url'),
  ciphertext: randomBytes(32).toString('base64url'),
});

async function user(id: string): Promise<void> {
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

async function session(
  id: string,
  userId: string,
  times: { createdAt?: number; lastSeenAt?: number } = {},
): Promise<void> {
  await storage.sessions.create({
    id,
    userId,
    tokenHash: `hash-${id}`,
    deviceName: id,
    platform: 'linux',
    ip: '127.0.0.1',
    userAgent: 'test',
    createdAt: times.createdAt ?? NOW - DAY,
    lastSeenAt: times.lastSeenAt ?? NOW - DAY,
    elevatedUntil: null,
    revokedAt: null,
    revokedReason: null,
  });
}

const pulled = (sessionId: string, afterSeq: number, pulledAt = NOW - DAY, workspaceId = 'w1') =>
  storage.logPruning.recordPull({ workspaceId, sessionId, afterSeq, pulledAt }, 0);

beforeEach(async () => {
  storage = openSqliteStorage(':memory:');
  await user('u1');
  await user('u2');
  for (const id of ['w1', 'w2']) {
    await storage.workspaces.create(
      {
        id,
        nameBlob: 'bmFtZQ==',
        createdAt: 1,
        policy: { requireMfa: false, forbidEmailOtp: false },
      },
      { userId: 'u1', joinedAt: 1 },
    );
  }
});
afterEach(async () => storage.close());

describe('log pruning repository', () => {
  it('keeps one cursor per session and workspace, the newest pull', async () => {
    await session('s1', 'u1');
    await pulled('s1', 3);
    expect(await storage.logPruning.activeFloor('w1', rule)).toBe(3);
    await pulled('s1', 8);
    expect(await storage.logPruning.activeFloor('w1', rule)).toBe(8);
    expect(await storage.logPruning.activeFloor('w2', rule)).toBeNull();
  });

  it('rewrites an unchanged cursor’s time only once it is `resolution` old; a new after at once', async () => {
    await session('s1', 'u1');
    const since = (pulledSince: number) => ({ ...rule, pulledSince });
    const record = (afterSeq: number, pulledAt: number) =>
      storage.logPruning.recordPull(
        { workspaceId: 'w1', sessionId: 's1', afterSeq, pulledAt },
        60_000,
      );
    await record(5, NOW - 10 * DAY);
    await record(5, NOW - 10 * DAY + 59_999);
    // Still the first time: a rule asking for pulls after it finds none.
    expect(await storage.logPruning.activeFloor('w1', since(NOW - 10 * DAY + 1))).toBeNull();
    await record(5, NOW - 10 * DAY + 60_000);
    expect(await storage.logPruning.activeFloor('w1', since(NOW - 10 * DAY + 60_000))).toBe(5);
    // A lower after (a device that started over) is written at once, whatever the time.
    await record(2, NOW - 10 * DAY + 60_001);
    expect(await storage.logPruning.activeFloor('w1', since(NOW - 10 * DAY + 60_001))).toBe(2);
  });

  it('counts only active devices of members in the floor', async () => {
    await session('active', 'u1');
    await pulled('active', 20);
    // Each of these is behind and must not hold the floor back.
    await session('revoked', 'u1');
    await pulled('revoked', 1);
    await storage.sessions.revoke('revoked', NOW - 1, 'revoked');
    await session('idle', 'u1', { lastSeenAt: NOW - 14 * DAY });
    await pulled('idle', 2);
    await session('old', 'u1', { createdAt: NOW - 90 * DAY });
    await pulled('old', 3);
    await session('stale-pull', 'u1');
    await pulled('stale-pull', 4, NOW - 30 * DAY - 1);
    await session('not-member', 'u2');
    await pulled('not-member', 5);
    await session('elsewhere', 'u1');
    await pulled('elsewhere', 6, NOW - DAY, 'w2');
    expect(await storage.logPruning.activeFloor('w1', rule)).toBe(20);
    // Exactly 30 days ago still counts.
    await pulled('stale-pull', 4, NOW - 30 * DAY);
    expect(await storage.logPruning.activeFloor('w1', rule)).toBe(4);
  });

  it('raises the pruned mark only, and deletes changes through a seq in batches', async () => {
    expect(await storage.logPruning.prunedThrough('w1')).toBe(0);
    await session('s1', 'u1');
    await storage.changeLog.append('w1', Array.from({ length: 7 }, envelope), {
      userId: 'u1',
      sessionId: 's1',
      receivedAt: 1,
    });
    await storage.changeLog.append('w2', [envelope()], {
      userId: 'u1',
      sessionId: 's1',
      receivedAt: 1,
    });
    await storage.logPruning.markPruned('w1', 5, NOW);
    await storage.logPruning.markPruned('w1', 3, NOW);
    expect(await storage.logPruning.prunedThrough('w1')).toBe(5);
    expect(await storage.logPruning.deleteChangesThrough('w1', 5, 2)).toBe(2);
    expect(await storage.logPruning.deleteChangesThrough('w1', 5, 2)).toBe(2);
    expect(await storage.logPruning.deleteChangesThrough('w1', 5, 2)).toBe(1);
    expect(await storage.logPruning.deleteChangesThrough('w1', 5, 2)).toBe(0);
    const left = await storage.changeLog.listAfter('w1', 0, {
      maxChanges: 100,
      maxCiphertextChars: 1_000_000,
    });
    expect(left.changes.map((change) => change.seq)).toEqual([6, 7]);
    expect(await storage.changeLog.headSeq('w1')).toBe(7);
    expect(
      (await storage.changeLog.listAfter('w2', 0, { maxChanges: 9, maxCiphertextChars: 1e6 }))
        .changes,
    ).toHaveLength(1);
  });

  it('names the workspaces whose newest snapshot lies above their pruned mark', async () => {
    expect(await storage.logPruning.pruneCandidates()).toEqual([]);
    const snapshotId = '01900000-0000-7000-8000-000000000001';
    await storage.snapshots.start(
      'w1',
      { snapshotId, seq: 4, keyVersion: 1, chunkCount: 1, byteLength: 3 },
      { userId: 'u1', startedAt: 1 },
    );
    await storage.snapshots.putChunk('w1', snapshotId, 0, randomBytes(3));
    expect(await storage.logPruning.pruneCandidates()).toEqual([]);
    await storage.snapshots.complete('w1', snapshotId, 2);
    expect(await storage.logPruning.pruneCandidates()).toEqual(['w1']);
    await storage.logPruning.markPruned('w1', 4, 3);
    expect(await storage.logPruning.pruneCandidates()).toEqual([]);
  });
});
