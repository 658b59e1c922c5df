import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import {
  opened,
  plainChange,
  pull,
  push,
  randomEnvelope,
  sealed,
  workspaceKey,
} from './sync-support.js';
import { adminWithWorkspace, joinAs, snapshot, unusedUuid } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

let server: AccountsTestServer;
let workspaceId: string;
let otherWorkspaceId: string;
let admin: User;
let member: User;
let viewer: User;
let otherAdmin: User;

beforeAll(async () => {
  server = await startAccountsServer();
  const home = await adminWithWorkspace(server, 'home');
  workspaceId = home.workspaceId;
  admin = home.admin;
  member = await joinAs(server, admin.token, workspaceId, 'member');
  viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
  const other = await adminWithWorkspace(server, 'elsewhere');
  otherWorkspaceId = other.workspaceId;
  otherAdmin = other.admin;
});
afterAll(async () => server.close());

const db = () => (server.deps.storage as SqliteStorage).db;
const logCount = (id: string): number =>
  db().prepare('SELECT count(*) FROM change_log WHERE workspace_id = ?').pluck().get(id) as number;

describe('push and pull', () => {
  it('round trip: what a member pushes, another member pulls and decrypts, in seq order', async () => {
    const key = workspaceKey(workspaceId);
    const changes = [1, 2, 3].map((n) => plainChange('transactions', `round-trip-${n}`));
    const envelopes = changes.map((change) => sealed(change, key));
    const before = await server.deps.storage.changeLog.headSeq(workspaceId);

    const pushed = await push(server, member.token, workspaceId, envelopes);
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json.results).toEqual(
      envelopes.map((e, i) => ({ id: e.id, status: 'accepted', seq: before + i + 1 })),
    );

    const pulled = await pull(server, viewer.token, workspaceId, `after=${before}`);
    expect(pulled.status, pulled.text).toBe(200);
    expect(pulled.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(pulled.headers['content-length'])).toBe(pulled.bytes.length);
    expect(pulled.json.changes).toEqual(envelopes.map((e, i) => ({ ...e, seq: before + i + 1 })));
    expect(pulled.json).toMatchObject({ nextAfter: before + 3, more: false });
    expect(pulled.json.changes.map(({ seq: _seq, ...e }) => opened(e, key))).toEqual(changes);
  });

  it('push and pull both carry the epoch id made with the database', async () => {
    const epoch = db()
      .prepare("SELECT value FROM server_meta WHERE key = 'epoch_id'")
      .pluck()
      .get();
    expect(epoch).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const pushed = await push(server, admin.token, workspaceId, [randomEnvelope()]);
    const pulled = await pull(server, admin.token, workspaceId);
    expect(pushed.json.epoch).toBe(epoch);
    expect(pulled.json.epoch).toBe(epoch);
  });

  it('a retry with identical bytes is accepted again with the seq it already has', async () => {
    const envelopes = [randomEnvelope(), randomEnvelope('clients')];
    const first = await push(server, member.token, workspaceId, envelopes);
    expect(first.json.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const head = await server.deps.storage.changeLog.headSeq(workspaceId);
    const rows = logCount(workspaceId);

    const retry = await push(server, member.token, workspaceId, envelopes);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json.results).toEqual(first.json.results);
    expect(await server.deps.storage.changeLog.headSeq(workspaceId)).toBe(head);
    expect(logCount(workspaceId)).toBe(rows);
    // Twice in one batch, too: one row, one seq.
    const twice = randomEnvelope();
    const both = await push(server, member.token, workspaceId, [twice, twice]);
    expect(both.json.results[0]).toEqual(both.json.results[1]);
    expect(logCount(workspaceId)).toBe(rows + 1);
  });

  it('the same id with other bytes is rejected for that change only, the stored one kept', async () => {
    const key = workspaceKey(workspaceId);
    const change = plainChange('transactions', 'first-bytes');
    const original = sealed(change, key);
    const accepted = await push(server, member.token, workspaceId, [original]);
    expect(accepted.json.results[0]?.status).toBe('accepted');

    // The same change sealed again: a fresh random nonce, so provably other bytes.
    const reSealed = sealed(change, key);
    expect(reSealed.nonce).not.toBe(original.nonce);
    const relabelled = { ...original, collection: 'payees' as const };
    const bumped = { ...original, keyVersion: original.keyVersion + 1 };
    const fresh = randomEnvelope();
    const res = await push(server, member.token, workspaceId, [
      reSealed,
      relabelled,
      bumped,
      fresh,
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.slice(0, 3).map((r) => [r.status, r.reason?.code])).toEqual([
      ['rejected', 'CHANGE_ID_CONFLICT'],
      ['rejected', 'CHANGE_ID_CONFLICT'],
      ['rejected', 'CHANGE_ID_CONFLICT'],
    ]);
    expect(res.json.results[3]?.status).toBe('accepted');

    const seq = accepted.json.results[0]?.seq ?? 0;
    const stored = await pull(server, admin.token, workspaceId, `after=${seq - 1}&limit=1`);
    expect(stored.json.changes).toEqual([{ ...original, seq }]);
  });

  it('pull after a seq returns only the newer changes, in order', async () => {
    const first = await push(server, admin.token, workspaceId, [randomEnvelope()]);
    const after = first.json.results[0]?.seq ?? 0;
    const newer = [randomEnvelope(), randomEnvelope('invoices')];
    await push(server, admin.token, workspaceId, newer);
    const res = await pull(server, member.token, workspaceId, `after=${after}`);
    expect(res.json.changes.map((c) => c.id)).toEqual(newer.map((e) => e.id));
    expect(res.json.changes.map((c) => c.seq)).toEqual([after + 1, after + 2]);
    const beyond = await pull(server, member.token, workspaceId, `after=${after + 2}`);
    expect(beyond.json).toMatchObject({ changes: [], nextAfter: after + 2, more: false });
  });

  it('a viewer may pull but their push is 403 as a whole and stores nothing', async () => {
    const before = snapshot(server);
    const res = await push(server, viewer.token, workspaceId, [randomEnvelope()]);
    expect([res.status, res.json.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    expect(snapshot(server)).toBe(before);
    expect((await pull(server, viewer.token, workspaceId)).status).toBe(200);
  });

  it('a member pushing a contract or settings change gets it rejected; the rest is accepted', async () => {
    const contract = randomEnvelope('contracts');
    const settings = randomEnvelope('settings');
    const money = randomEnvelope('transactions');
    const res = await push(server, member.token, workspaceId, [contract, money, settings]);
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.map((r) => [r.id, r.status, r.reason?.code])).toEqual([
      [contract.id, 'rejected', 'FORBIDDEN_COLLECTION'],
      [money.id, 'accepted', undefined],
      [settings.id, 'rejected', 'FORBIDDEN_COLLECTION'],
    ]);
    const ids = db().prepare('SELECT change_id FROM change_log').pluck().all();
    expect(ids).toContain(money.id);
    expect(ids).not.toContain(contract.id);
    expect(ids).not.toContain(settings.id);
    // An admin may push them.
    const byAdmin = await push(server, admin.token, workspaceId, [contract, settings]);
    expect(byAdmin.json.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('another workspace’s id, or an unknown one, is 404 for push and pull, and changes nothing', async () => {
    const unknown = unusedUuid([workspaceId, otherWorkspaceId]);
    for (const id of [otherWorkspaceId, unknown]) {
      const before = snapshot(server);
      const pushed = await push(server, admin.token, id, [randomEnvelope()]);
      const pulled = await pull(server, admin.token, id);
      expect([pushed.status, pushed.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
      expect([pulled.status, pulled.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
      expect(snapshot(server)).toBe(before);
    }
    // The other workspace's own admin sees none of this workspace's changes in theirs.
    const own = await pull(server, otherAdmin.token, otherWorkspaceId);
    expect(own.json.changes).toEqual([]);
  });

  it('answers only after a durable commit: WAL with synchronous=FULL, visible to another connection', async () => {
    expect(db().pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db().pragma('synchronous', { simple: true })).toBe(2); // FULL
    const envelope = randomEnvelope();
    const res = await push(server, member.token, workspaceId, [envelope]);
    expect(res.status).toBe(200);
    const reader = new Database(server.databaseFile, { readonly: true });
    try {
      const row = reader
        .prepare('SELECT seq FROM change_log WHERE change_id = ?')
        .pluck()
        .get(envelope.id);
      expect(row).toBe(res.json.results[0]?.seq);
    } finally {
      reader.close();
    }
  });
});
