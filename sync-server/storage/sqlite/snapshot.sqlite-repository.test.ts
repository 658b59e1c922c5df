import { randomBytes } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { SnapshotManifest } from '../../../shared/sync/snapshot.js';
import type { Storage } from '../storage.js';
import { openSqliteStorage } from './sqlite-storage.js';

// Written against the Storage interface only (no SQL), so the PostgreSQL storage can run
// the same cases.

let storage: Storage;
let ids = 0;
/** A new snapshot id each call, counted: none repeats an earlier one. */
const nextId = (): string => `01900000-0000-7000-8000-${(ids += 1).toString(16).padStart(12, '0')}`;

const manifest = (overrides: Partial<SnapshotManifest> = {}): SnapshotManifest => ({
  snapshotId: nextId(),
  seq: 10,
  keyVersion: 1,
  chunkCount: 2,
  byteLength: 8,
  ...overrides,
});
const origin = { userId: 'u1', startedAt: 1_000 };

/** Starts `m` in w1 and stores chunks of 4 bytes at every index; returns their bytes. */
async function uploaded(m: SnapshotManifest, workspace = 'w1'): Promise<Buffer[]> {
  await storage.snapshots.start(workspace, m, origin);
  const chunks: Buffer[] = [];
  for (let index = 0; index < m.chunkCount; index += 1) {
    const bytes = randomBytes(m.byteLength / m.chunkCount);
    chunks.push(bytes);
    expect(await storage.snapshots.putChunk(workspace, m.snapshotId, index, bytes)).toBe('stored');
  }
  return chunks;
}

beforeEach(async () => {
  storage = openSqliteStorage(':memory:');
  await storage.users.create({
    id: 'u1',
    emailLookup: 'lookup-u1',
    emailSealed: 'sealed',
    passwordHash: 'hash',
    createdAt: 1,
    updatedAt: 1,
    passwordChangedAt: 1,
  });
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

describe('snapshot repository', () => {
  it('starts an upload once per id and workspace, and finds it only there', async () => {
    const m = manifest();
    const first = await storage.snapshots.start('w1', m, origin);
    expect(first).toEqual({
      created: true,
      snapshot: { ...m, workspaceId: 'w1', createdBy: 'u1', startedAt: 1_000, completedAt: null },
    });
    const again = await storage.snapshots.start(
      'w1',
      { ...m, seq: 11 },
      { ...origin, startedAt: 2 },
    );
    expect(again).toEqual({ created: false, snapshot: first.snapshot });
    expect(await storage.snapshots.find('w1', m.snapshotId)).toEqual(first.snapshot);
    expect(await storage.snapshots.find('w2', m.snapshotId)).toBeNull();
  });

  it('stores a chunk once: the same bytes again are `same`, other bytes a conflict', async () => {
    const m = manifest();
    await storage.snapshots.start('w1', m, origin);
    const bytes = randomBytes(4);
    const other = Buffer.from(bytes.map((b) => b ^ 0xff));
    expect(await storage.snapshots.putChunk('w1', m.snapshotId, 0, bytes)).toBe('stored');
    expect(await storage.snapshots.putChunk('w1', m.snapshotId, 0, bytes)).toBe('same');
    expect(await storage.snapshots.putChunk('w1', m.snapshotId, 0, other)).toBe('conflict');
    expect(await storage.snapshots.putChunk('w2', m.snapshotId, 1, bytes)).toBe('not_found');
    // 4 + 5 bytes would pass the manifest's 8.
    expect(await storage.snapshots.putChunk('w1', m.snapshotId, 1, randomBytes(5))).toBe(
      'over_length',
    );
    // Chunks of an unfinished upload are not readable.
    expect(await storage.snapshots.readChunk('w1', m.snapshotId, 0)).toBeNull();
  });

  it('completes only with every chunk, adding up to byteLength', async () => {
    const m = manifest({ chunkCount: 3, byteLength: 12 });
    await storage.snapshots.start('w1', m, origin);
    expect(await storage.snapshots.complete('w1', m.snapshotId, 2_000)).toEqual({
      status: 'incomplete',
      missing: [0, 1, 2],
    });
    await storage.snapshots.putChunk('w1', m.snapshotId, 1, randomBytes(4));
    expect(await storage.snapshots.complete('w1', m.snapshotId, 2_000)).toEqual({
      status: 'incomplete',
      missing: [0, 2],
    });
    await storage.snapshots.putChunk('w1', m.snapshotId, 0, randomBytes(4));
    await storage.snapshots.putChunk('w1', m.snapshotId, 2, randomBytes(3));
    expect(await storage.snapshots.complete('w1', m.snapshotId, 2_000)).toEqual({
      status: 'short',
      byteLength: 11,
    });
    expect(await storage.snapshots.complete('w2', m.snapshotId, 2_000)).toEqual({
      status: 'not_found',
    });
    expect(await storage.snapshots.newest('w1')).toBeNull();
  });

  it('keeps the newest complete snapshot only, by seq, and serves its chunks', async () => {
    const older = manifest({ seq: 5 });
    const newer = manifest({ seq: 9 });
    const lower = manifest({ seq: 7 });
    await uploaded(older);
    const done = await storage.snapshots.complete('w1', older.snapshotId, 2_000);
    expect(done.status === 'completed' && done.newest.snapshotId).toBe(older.snapshotId);
    const chunks = await uploaded(newer);
    await uploaded(lower);
    const completed = await storage.snapshots.complete('w1', newer.snapshotId, 3_000);
    expect(completed.status === 'completed' && completed.newest.completedAt).toBe(3_000);
    expect(await storage.snapshots.find('w1', older.snapshotId)).toBeNull();
    expect(await storage.snapshots.readChunk('w1', newer.snapshotId, 1)).toEqual(chunks[1]);
    expect(await storage.snapshots.readChunk('w2', newer.snapshotId, 1)).toBeNull();
    expect(await storage.snapshots.readChunk('w1', newer.snapshotId, 2)).toBeNull();

    // A lower seq completes but does not replace the newer one, and is not kept.
    const late = await storage.snapshots.complete('w1', lower.snapshotId, 4_000);
    expect(late.status === 'completed' && late.newest.snapshotId).toBe(newer.snapshotId);
    expect((await storage.snapshots.newest('w1'))?.snapshotId).toBe(newer.snapshotId);
    expect(await storage.snapshots.find('w1', lower.snapshotId)).toBeNull();
    // Completing again is a no-op; a complete snapshot takes no other bytes.
    const repeat = await storage.snapshots.complete('w1', newer.snapshotId, 5_000);
    expect(repeat.status === 'completed' && repeat.snapshot.completedAt).toBe(3_000);
    expect(await storage.snapshots.putChunk('w1', newer.snapshotId, 0, chunks[0]!)).toBe('same');
    expect(await storage.snapshots.putChunk('w1', newer.snapshotId, 0, randomBytes(5))).toBe(
      'conflict',
    );
    // Another workspace is untouched by all of it.
    expect(await storage.snapshots.newest('w2')).toBeNull();
  });

  it('drops unfinished uploads started before the cutoff, never complete ones', async () => {
    const stale = manifest();
    const fresh = manifest();
    const complete = manifest();
    await storage.snapshots.start('w1', stale, { ...origin, startedAt: 100 });
    await uploaded(complete);
    await storage.snapshots.complete('w1', complete.snapshotId, 150);
    await storage.snapshots.start('w2', fresh, { ...origin, startedAt: 5_000 });
    expect(await storage.snapshots.dropUnfinishedBefore(4_000)).toBe(1);
    expect(await storage.snapshots.find('w1', stale.snapshotId)).toBeNull();
    expect(await storage.snapshots.find('w2', fresh.snapshotId)).not.toBeNull();
    expect(await storage.snapshots.find('w1', complete.snapshotId)).not.toBeNull();
  });
});
