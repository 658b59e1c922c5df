import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SNAPSHOT_CHUNK_MAX_BYTES } from '../../shared/sync/snapshot.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import {
  completeSnapshot,
  getChunk,
  latestSnapshot,
  manifest,
  putChunk,
  startSnapshot,
  uploadSnapshot,
} from './snapshot-support.js';
import { pull, push, randomEnvelope } from './sync-support.js';
import { adminWithWorkspace, joinAs, snapshot } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const db = () => (server.deps.storage as SqliteStorage).db;

/** A workspace with an admin, a member and a viewer, and `changes` changes in its log. */
async function team(changes = 5): Promise<{
  workspaceId: string;
  admin: User;
  member: User;
  viewer: User;
}> {
  const { admin, workspaceId } = await adminWithWorkspace(server, 'snapshots');
  const member = await joinAs(server, admin.token, workspaceId, 'member');
  const viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
  if (changes > 0) {
    const pushed = await push(
      server,
      admin.token,
      workspaceId,
      Array.from({ length: changes }, () => randomEnvelope()),
    );
    expect(pushed.status, pushed.text).toBe(200);
  }
  return { workspaceId, admin, member, viewer };
}

describe('snapshot routes', () => {
  it('start, chunks, complete, latest and chunk download: the happy path, audited', async () => {
    const { workspaceId, admin, viewer } = await team(5);
    const before = await pull(server, viewer.token, workspaceId, 'after=0');
    expect([before.status, before.json.snapshot]).toEqual([200, null]);
    const m = manifest({ seq: 5, chunkCount: 2, byteLength: 48 });
    const started = await startSnapshot(server, admin.token, workspaceId, m);
    expect([started.status, started.json]).toEqual([201, m]);
    // Starting the same manifest again resumes it.
    const resumed = await startSnapshot(server, admin.token, workspaceId, m);
    expect([resumed.status, resumed.json]).toEqual([200, m]);

    // A marker that must not reach the audit log.
    const chunks = [Buffer.from(`secret-marker-${'a'.repeat(10)}`), randomBytes(24)];
    for (const [index, bytes] of chunks.entries()) {
      const put = await putChunk(server, admin.token, workspaceId, m.snapshotId, index, bytes);
      expect(put.status, put.text).toBe(204);
    }
    const done = await completeSnapshot(server, admin.token, workspaceId, m.snapshotId);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toEqual({ ...m, createdAt: server.clock.now() });

    const latest = await latestSnapshot(server, viewer.token, workspaceId);
    expect([latest.status, latest.json]).toEqual([200, done.json]);
    for (const [index, bytes] of chunks.entries()) {
      const got = await getChunk(server, viewer.token, workspaceId, m.snapshotId, index);
      expect(got.status).toBe(200);
      expect(got.contentType).toBe('application/octet-stream');
      expect(got.bytes.equals(bytes)).toBe(true);
    }

    const audited = db()
      .prepare('SELECT * FROM audit_log WHERE workspace_id = ? AND action LIKE ? ORDER BY seq')
      .all(workspaceId, '%/snapshots%') as { action: string; user_id: string }[];
    expect(audited.map((row) => row.action)).toEqual([
      'POST /v1/workspaces/:id/snapshots',
      'POST /v1/workspaces/:id/snapshots',
      'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index',
      'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index',
      'POST /v1/workspaces/:id/snapshots/:snapshotId/complete',
      'GET /v1/workspaces/:id/snapshots/latest',
      'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index',
      'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index',
    ]);
    expect(JSON.stringify(audited)).not.toContain('secret-marker');
  });

  it('only admins write snapshots; every member reads them', async () => {
    const { workspaceId, admin, member, viewer } = await team(1);
    const { manifest: m, chunks } = await uploadSnapshot(server, admin.token, workspaceId, {
      seq: 1,
    });
    for (const user of [member, viewer]) {
      const before = snapshot(server);
      const started = await startSnapshot(server, user.token, workspaceId, manifest());
      const put = await putChunk(server, user.token, workspaceId, m.snapshotId, 0, chunks[0]!);
      const done = await completeSnapshot(server, user.token, workspaceId, m.snapshotId);
      for (const res of [started, put, done]) {
        expect([res.status, res.json.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
      }
      expect(snapshot(server)).toBe(before);
      expect((await latestSnapshot(server, user.token, workspaceId)).status).toBe(200);
      const got = await getChunk(server, user.token, workspaceId, m.snapshotId, 1);
      expect(got.bytes.equals(chunks[1]!)).toBe(true);
    }
  });

  it('another workspace’s snapshot ids are 404 like unknown ones', async () => {
    const home = await team(1);
    const other = await team(1);
    const { manifest: theirs } = await uploadSnapshot(
      server,
      other.admin.token,
      other.workspaceId,
      {
        seq: 1,
      },
    );
    const before = snapshot(server);
    // The home admin names the other workspace's snapshot inside their own workspace.
    const got = await getChunk(server, home.admin.token, home.workspaceId, theirs.snapshotId, 0);
    const put = await putChunk(
      server,
      home.admin.token,
      home.workspaceId,
      theirs.snapshotId,
      0,
      randomBytes(8),
    );
    const done = await completeSnapshot(
      server,
      home.admin.token,
      home.workspaceId,
      theirs.snapshotId,
    );
    for (const res of [got, put, done]) {
      expect([res.status, res.json.error?.code]).toEqual([404, 'SNAPSHOT_NOT_FOUND']);
    }
    // And asks the other workspace directly.
    const foreign = await latestSnapshot(server, home.admin.token, other.workspaceId);
    expect([foreign.status, foreign.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    const foreignChunk = await getChunk(
      server,
      home.admin.token,
      other.workspaceId,
      theirs.snapshotId,
      0,
    );
    expect([foreignChunk.status, foreignChunk.json.error?.code]).toEqual([
      404,
      'WORKSPACE_NOT_FOUND',
    ]);
    expect(Object.keys(foreignChunk.json)).toEqual(['error']);
    expect(snapshot(server)).toBe(before);
    // Home has no snapshot of its own.
    const none = await latestSnapshot(server, home.viewer.token, home.workspaceId);
    expect([none.status, none.json.error?.code]).toEqual([404, 'NO_SNAPSHOT']);
  });

  it('refuses bad manifests with a code and stores nothing', async () => {
    const { workspaceId, admin } = await team(3);
    const before = snapshot(server);
    const cases: [unknown, number, string][] = [
      [manifest({ seq: 4 }), 400, 'SNAPSHOT_INVALID'],
      [manifest({ chunkCount: 0 }), 400, 'INVALID_REQUEST'],
      [manifest({ chunkCount: 4097 }), 400, 'INVALID_REQUEST'],
      [manifest({ byteLength: 0 }), 400, 'INVALID_REQUEST'],
      [manifest({ keyVersion: 0 }), 400, 'INVALID_REQUEST'],
      [manifest({ seq: -1 }), 400, 'INVALID_REQUEST'],
      [{ ...manifest(), snapshotId: manifest().snapshotId.toUpperCase() }, 400, 'INVALID_REQUEST'],
      [{ ...manifest(), extra: 1 }, 400, 'INVALID_REQUEST'],
      [{ ...manifest(), seq: '1' }, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const res = await startSnapshot(server, admin.token, workspaceId, body);
      expect([res.status, res.json.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const past = await startSnapshot(server, admin.token, workspaceId, manifest({ seq: 4 }));
    expect(past.json.error?.details).toEqual({ headSeq: 3 });
    expect(snapshot(server)).toBe(before);
  });

  it('refuses bad chunks (index, size, total, media type) with a code and stores nothing', async () => {
    const { workspaceId, admin } = await team(1);
    const m = manifest({ seq: 1, chunkCount: 2, byteLength: 10 });
    expect((await startSnapshot(server, admin.token, workspaceId, m)).status).toBe(201);
    const before = snapshot(server);
    const put = (index: number | string, bytes: Buffer, type?: string) =>
      putChunk(server, admin.token, workspaceId, m.snapshotId, index, bytes, type);
    const cases: [
      Promise<{ status: number; json: { error?: { code: string } } }>,
      number,
      string,
    ][] = [
      [put(2, randomBytes(4)), 400, 'SNAPSHOT_INVALID'],
      [put(4096, randomBytes(4)), 400, 'INVALID_REQUEST'],
      [put(-1, randomBytes(4)), 400, 'INVALID_REQUEST'],
      [put('x', randomBytes(4)), 400, 'INVALID_REQUEST'],
      [put(0, randomBytes(11)), 400, 'SNAPSHOT_INVALID'],
      [put(0, Buffer.alloc(0)), 400, 'SNAPSHOT_INVALID'],
      [put(0, randomBytes(SNAPSHOT_CHUNK_MAX_BYTES + 1)), 413, 'SNAPSHOT_CHUNK_TOO_LARGE'],
      [put(0, Buffer.from('{"a":1}'), 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        putChunk(server, admin.token, workspaceId, manifest().snapshotId, 0, randomBytes(4)),
        404,
        'SNAPSHOT_NOT_FOUND',
      ],
    ];
    for (const [index, [request, status, code]] of cases.entries()) {
      const res = await request;
      expect([res.status, res.json.error?.code], `case ${index}`).toEqual([status, code]);
    }
    expect(snapshot(server)).toBe(before);
    // 6 + 5 bytes would pass the manifest's 10 as well, once the first is in.
    expect((await put(0, randomBytes(6))).status).toBe(204);
    const over = await put(1, randomBytes(5));
    expect([over.status, over.json.error?.code]).toEqual([400, 'SNAPSHOT_INVALID']);
    expect((await put(1, randomBytes(4))).status).toBe(204);
  });

  it('takes the same chunk again (204) and refuses other bytes for it (409)', async () => {
    const { workspaceId, admin } = await team(1);
    const m = manifest({ seq: 1, chunkCount: 2, byteLength: 16 });
    await startSnapshot(server, admin.token, workspaceId, m);
    const bytes = randomBytes(8);
    const other = Buffer.from(bytes.map((byte) => byte ^ 0x01));
    expect((await putChunk(server, admin.token, workspaceId, m.snapshotId, 0, bytes)).status).toBe(
      204,
    );
    expect((await putChunk(server, admin.token, workspaceId, m.snapshotId, 0, bytes)).status).toBe(
      204,
    );
    const before = snapshot(server);
    const clash = await putChunk(server, admin.token, workspaceId, m.snapshotId, 0, other);
    expect([clash.status, clash.json.error?.code]).toEqual([409, 'SNAPSHOT_CHUNK_CONFLICT']);
    // The same id with another manifest is another snapshot.
    const taken = await startSnapshot(server, admin.token, workspaceId, { ...m, chunkCount: 3 });
    expect([taken.status, taken.json.error?.code]).toEqual([409, 'SNAPSHOT_ID_CONFLICT']);
    expect(snapshot(server)).toBe(before);

    // Complete, a snapshot takes no new chunk but answers the same bytes as stored.
    const last = randomBytes(8);
    await putChunk(server, admin.token, workspaceId, m.snapshotId, 1, last);
    expect((await completeSnapshot(server, admin.token, workspaceId, m.snapshotId)).status).toBe(
      200,
    );
    expect((await putChunk(server, admin.token, workspaceId, m.snapshotId, 1, last)).status).toBe(
      204,
    );
    const late = await putChunk(server, admin.token, workspaceId, m.snapshotId, 1, other);
    expect([late.status, late.json.error?.code]).toEqual([409, 'SNAPSHOT_CHUNK_CONFLICT']);
  });

  it('refuses to complete with chunks missing (409, naming them) or bytes short (400)', async () => {
    const { workspaceId, admin, viewer } = await team(1);
    const m = manifest({ seq: 1, chunkCount: 3, byteLength: 30 });
    await startSnapshot(server, admin.token, workspaceId, m);
    await putChunk(server, admin.token, workspaceId, m.snapshotId, 1, randomBytes(10));
    const before = snapshot(server);
    const incomplete = await completeSnapshot(server, admin.token, workspaceId, m.snapshotId);
    expect(incomplete.status).toBe(409);
    expect(incomplete.json.error).toMatchObject({
      code: 'SNAPSHOT_INCOMPLETE',
      details: { missing: [0, 2] },
    });
    // Chunks of an upload under way are not served.
    const early = await getChunk(server, viewer.token, workspaceId, m.snapshotId, 1);
    expect([early.status, early.json.error?.code]).toEqual([404, 'SNAPSHOT_NOT_FOUND']);
    expect(snapshot(server)).toBe(before);

    await putChunk(server, admin.token, workspaceId, m.snapshotId, 0, randomBytes(10));
    await putChunk(server, admin.token, workspaceId, m.snapshotId, 2, randomBytes(9));
    const short = await completeSnapshot(server, admin.token, workspaceId, m.snapshotId);
    expect([short.status, short.json.error?.code]).toEqual([400, 'SNAPSHOT_INVALID']);
    const none = await latestSnapshot(server, viewer.token, workspaceId);
    expect([none.status, none.json.error?.code]).toEqual([404, 'NO_SNAPSHOT']);
  });

  it('latest is the newest by seq; older ones are deleted; a lower seq does not replace it', async () => {
    const { workspaceId, admin, viewer } = await team(6);
    const first = await uploadSnapshot(server, admin.token, workspaceId, { seq: 2 });
    // A lower-seq upload started before the newer one completes.
    const lower = manifest({ seq: 4, chunkCount: 1, byteLength: 8 });
    await startSnapshot(server, admin.token, workspaceId, lower);
    await putChunk(server, admin.token, workspaceId, lower.snapshotId, 0, randomBytes(8));
    server.clock.advance(1_000);
    const second = await uploadSnapshot(server, admin.token, workspaceId, { seq: 5 });

    const latest = await latestSnapshot(server, viewer.token, workspaceId);
    expect(latest.json).toEqual(second.info);
    const gone = await getChunk(server, viewer.token, workspaceId, first.manifest.snapshotId, 0);
    expect([gone.status, gone.json.error?.code]).toEqual([404, 'SNAPSHOT_NOT_FOUND']);

    const late = await completeSnapshot(server, admin.token, workspaceId, lower.snapshotId);
    expect([late.status, late.json.seq]).toEqual([200, 4]);
    expect((await latestSnapshot(server, viewer.token, workspaceId)).json).toEqual(second.info);
    // Only the newest is kept.
    expect(
      db().prepare('SELECT id FROM snapshots WHERE workspace_id = ?').pluck().all(workspaceId),
    ).toEqual([second.manifest.snapshotId]);
    // Pull names it, so devices know when to refresh without asking. (No device had pulled,
    // so the log is pruned through the snapshot: a pull from its seq is the one that works.)
    const pulled = await pull(server, viewer.token, workspaceId, 'after=5');
    expect(pulled.json).toMatchObject({ snapshot: { seq: 5, createdAt: second.info.createdAt } });
    const chunk = await getChunk(server, viewer.token, workspaceId, second.manifest.snapshotId, 2);
    expect([chunk.status, chunk.json.error?.code]).toEqual([400, 'SNAPSHOT_INVALID']);
  });

  it('drops uploads left unfinished for a day when another starts', async () => {
    const { workspaceId, admin } = await team(1);
    const stale = manifest({ seq: 1 });
    await startSnapshot(server, admin.token, workspaceId, stale);
    server.clock.advance(24 * 60 * 60_000 + 1);
    await startSnapshot(server, admin.token, workspaceId, manifest({ seq: 1 }));
    const left = await putChunk(
      server,
      admin.token,
      workspaceId,
      stale.snapshotId,
      0,
      randomBytes(4),
    );
    expect([left.status, left.json.error?.code]).toEqual([404, 'SNAPSHOT_NOT_FOUND']);
  });
});
