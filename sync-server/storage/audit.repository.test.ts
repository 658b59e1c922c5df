import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage } from '../test/support/storage-backends.js';
import type { StorageUnderTest } from '../test/support/storage-backends.js';
import type { AuditRecord } from './audit.repository.js';
import type { Storage } from './storage.js';

let db: StorageUnderTest;
let storage: Storage;
let counter = 0;

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  counter += 1;
  return {
    id: `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    at: 1_000,
    requestId: `req-${counter}`,
    action: 'GET /v1/me',
    statusCode: 200,
    errorCode: null,
    outcome: 'success',
    ip: '127.0.0.1',
    userId: null,
    sessionId: null,
    workspaceId: null,
    subjectUserId: null,
    factor: null,
    deviceName: null,
    userAgent: null,
    ...overrides,
  };
}

describeStorage('AuditRepository', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    storage = db.storage;
    for (const id of ['u1', 'u2']) {
      await db.rows(
        `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
         VALUES (?, ?, 'sealed', 'hash', 1, 1, 1)`,
        id,
        `lookup-${id}`,
      );
    }
  });
  afterEach(async () => storage.close());

  it('stores a record and reads it back as a sign-in when it names an account', async () => {
    const login = record({
      action: 'POST /v1/auth/login',
      statusCode: 401,
      errorCode: 'INVALID_CREDENTIALS',
      outcome: 'failure',
      subjectUserId: 'u1',
      factor: 'password',
      deviceName: 'Laptop',
      userAgent: 'curl/8',
    });
    await storage.audit.append(login);
    await storage.audit.append(record({ userId: 'u1', sessionId: 's1' }));
    const signIns = await storage.audit.listSignIns('u1', { limit: 10 });
    expect(signIns).toEqual([
      { ...login, seq: 1, repeats: 1, userPseudonym: null, subjectPseudonym: null },
    ]);
    expect(await storage.audit.listSignIns('u2', { limit: 10 })).toEqual([]);
  });

  it('stores NULL for users that no longer exist instead of failing, with their pseudonyms', async () => {
    const pseudonyms = { user: 'p-caller', subject: 'p-subject' };
    await storage.audit.append(
      record({ userId: 'gone', subjectUserId: 'gone', sessionId: 's9', pseudonyms }),
    );
    // An account that still exists is named by its id; its pseudonym is not stored.
    await storage.audit.append(record({ userId: 'u1', subjectUserId: 'u2', pseudonyms }));
    await storage.audit.append(record({ pseudonyms: { user: null, subject: null } }));
    const rows =
      await db.rows(`SELECT user_id, subject_user_id, session_id, user_pseudonym, subject_pseudonym
           FROM audit_log ORDER BY seq`);
    expect(rows).toEqual([
      {
        user_id: null,
        subject_user_id: null,
        session_id: 's9',
        user_pseudonym: 'p-caller',
        subject_pseudonym: 'p-subject',
      },
      {
        user_id: 'u1',
        subject_user_id: 'u2',
        session_id: null,
        user_pseudonym: null,
        subject_pseudonym: null,
      },
      {
        user_id: null,
        subject_user_id: null,
        session_id: null,
        user_pseudonym: null,
        subject_pseudonym: null,
      },
    ]);
  });

  it('pseudonymises every row naming a user, clears their device names, and keeps the rows', async () => {
    await storage.audit.append(record({ userId: 'u1', sessionId: 's1' }));
    await storage.audit.append(
      record({ subjectUserId: 'u1', factor: 'password', deviceName: 'Ann’s laptop' }),
    );
    await storage.audit.append(record({ userId: 'u1', subjectUserId: 'u1', deviceName: 'x' }));
    await storage.audit.append(record({ userId: 'u2', subjectUserId: 'u2', deviceName: 'Bob' }));
    await storage.audit.append(record({ deviceName: 'anonymous' }));

    expect(await storage.audit.pseudonymiseUser('u1', 'p1')).toBe(3);
    const rows =
      await db.rows(`SELECT user_id, subject_user_id, user_pseudonym, subject_pseudonym, device_name,
                session_id FROM audit_log ORDER BY seq`);
    const none = { user_id: null, subject_user_id: null, user_pseudonym: null };
    expect(rows).toEqual([
      {
        ...none,
        user_pseudonym: 'p1',
        subject_pseudonym: null,
        device_name: null,
        session_id: 's1',
      },
      { ...none, subject_pseudonym: 'p1', device_name: null, session_id: null },
      {
        ...none,
        user_pseudonym: 'p1',
        subject_pseudonym: 'p1',
        device_name: null,
        session_id: null,
      },
      {
        user_id: 'u2',
        subject_user_id: 'u2',
        user_pseudonym: null,
        subject_pseudonym: null,
        device_name: 'Bob',
        session_id: null,
      },
      { ...none, subject_pseudonym: null, device_name: 'anonymous', session_id: null },
    ]);
    // Deleting the user afterwards changes nothing more; the rows stay.
    await db.rows("DELETE FROM users WHERE id = 'u1'");
    expect(await db.column('SELECT count(*) FROM audit_log')).toEqual([5]);
    expect(await storage.audit.pseudonymiseUser('u1', 'p1')).toBe(0);
  });

  it('keeps how many requests alike a row stands for', async () => {
    await storage.audit.append(record({ workspaceId: 'w1', outcome: 'rate_limited', repeats: 37 }));
    await storage.audit.append(record({ workspaceId: 'w1' }));
    const rows = await storage.audit.listForWorkspace('w1', { limit: 10 });
    expect(rows.map((row) => row.repeats)).toEqual([1, 37]);
  });

  it('pages sign-ins newest first, in the order they were written', async () => {
    // Same millisecond on purpose: the order must not depend on the clock.
    for (let i = 0; i < 5; i += 1) {
      await storage.audit.append(record({ subjectUserId: 'u1', requestId: `r${i}` }));
    }
    const first = await storage.audit.listSignIns('u1', { limit: 2 });
    expect(first.map((r) => r.requestId)).toEqual(['r4', 'r3']);
    const second = await storage.audit.listSignIns('u1', {
      limit: 2,
      beforeSeq: first[1]?.seq,
    });
    expect(second.map((r) => r.requestId)).toEqual(['r2', 'r1']);
    const all = await storage.audit.signInsFor('u1');
    expect(all).toHaveLength(5);
    expect(all[0]).toMatchObject({
      kind: 'password',
      at: new Date(1_000).toISOString(),
      outcome: 'success',
    });
  });

  it('prunes in batches, oldest first, only rows before the cutoff', async () => {
    for (let at = 1; at <= 7; at += 1) await storage.audit.append(record({ at }));
    expect(await storage.audit.pruneBefore(6, 3)).toBe(3);
    expect(await storage.audit.pruneBefore(6, 3)).toBe(2);
    expect(await storage.audit.pruneBefore(6, 3)).toBe(0);
    expect(await db.column('SELECT at FROM audit_log ORDER BY at')).toEqual([6, 7]);
  });
  it("lists one workspace's rows newest first, narrowed by each filter, page by page", async () => {
    const rows = [
      record({ workspaceId: 'w1', userId: 'u1', at: 1_000 }),
      record({
        workspaceId: 'w1',
        userId: 'u2',
        at: 2_000,
        action: 'PUT /v1/workspaces/:id/policy',
      }),
      record({ workspaceId: 'w2', userId: 'u1', at: 2_500 }),
      record({ workspaceId: 'w1', userId: 'u1', at: 3_000, outcome: 'failure', statusCode: 403 }),
      record({ workspaceId: null, userId: 'u1', at: 3_500 }),
    ];
    for (const row of rows) await storage.audit.append(row);
    const ids = async (query: Parameters<typeof storage.audit.listForWorkspace>[1]) =>
      (await storage.audit.listForWorkspace('w1', query)).map((r) => r.requestId);
    const [a, b, , d] = rows.map((r) => r.requestId);
    expect(await ids({ limit: 10 })).toEqual([d, b, a]);
    expect(await ids({ limit: 10, userId: 'u1' })).toEqual([d, a]);
    expect(await ids({ limit: 10, action: 'PUT /v1/workspaces/:id/policy' })).toEqual([b]);
    expect(await ids({ limit: 10, outcome: 'failure' })).toEqual([d]);
    expect(await ids({ limit: 10, since: 2_000, until: 3_000 })).toEqual([b]);
    const first = await storage.audit.listForWorkspace('w1', { limit: 2 });
    expect(first.map((r) => r.requestId)).toEqual([d, b]);
    expect(await ids({ limit: 2, beforeSeq: first[1]?.seq })).toEqual([a]);
    expect(await storage.audit.listForWorkspace('w3', { limit: 10 })).toEqual([]);
  });

  it('leaves out the requests that only read when asked for changes only', async () => {
    const actions = [
      'GET /v1/workspaces/:id/member-keys',
      'PUT /v1/workspaces/:id/policy',
      'HEAD /v1/workspaces/:id/members',
      'get /v1/workspaces/:id/keys',
      'DELETE /v1/workspaces/:id/members/:userId',
      'GET (no route)',
      'POST /v1/workspaces/:id/invites',
    ];
    const rows = actions.map((action, i) =>
      record({ workspaceId: 'w1', userId: 'u1', at: 1_000 + i, action }),
    );
    for (const row of rows) await storage.audit.append(row);
    const listed = async (changesOnly?: boolean) =>
      (await storage.audit.listForWorkspace('w1', { limit: 10, changesOnly })).map((r) => r.action);
    // A lower-case method is not one our server records; it is kept, not taken for a read.
    expect(await listed(true)).toEqual([
      'POST /v1/workspaces/:id/invites',
      'DELETE /v1/workspaces/:id/members/:userId',
      'get /v1/workspaces/:id/keys',
      'PUT /v1/workspaces/:id/policy',
    ]);
    expect(await listed(false)).toEqual([...actions].reverse());
    expect(await listed()).toEqual([...actions].reverse());
  });
});
