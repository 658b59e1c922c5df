import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_INVOICE_NUMBER } from '../storage/invoice-number.repository.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { adminWithWorkspace, joinAs, snapshot, unusedUuid } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

interface Answer {
  invoiceId?: string;
  number?: number;
  error?: { code: string; message: string };
}

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

/** Invoice ids numbered by the test itself: two calls never hand out the same id. */
let invoiceCount = 0;
const newInvoiceId = (): string =>
  `01900000-0000-7000-8000-${(invoiceCount += 1).toString(16).padStart(12, '0')}`;

const ask = (user: User, id: string, body: unknown) =>
  server.request<Answer>('POST', `/v1/workspaces/${id}/invoice-numbers`, {
    token: user.token,
    body,
  });

const boundRows = (id: string): number =>
  (server.deps.storage as SqliteStorage).db
    .prepare('SELECT count(*) FROM invoice_numbers WHERE workspace_id = ?')
    .pluck()
    .get(id) as number;

describe('invoice numbers per workspace', () => {
  it('hands out 1, 2, 3… to members and admins; a retry for the same invoice gets its number again', async () => {
    const [a, b, c] = [newInvoiceId(), newInvoiceId(), newInvoiceId()];
    const first = await ask(member, workspaceId, { invoiceId: a });
    expect([first.status, first.json]).toEqual([201, { invoiceId: a, number: 1 }]);
    expect((await ask(admin, workspaceId, { invoiceId: b })).json.number).toBe(2);
    const retry = await ask(member, workspaceId, { invoiceId: a });
    expect([retry.status, retry.json]).toEqual([200, { invoiceId: a, number: 1 }]);
    // Another member retrying someone else's invoice gets the same number too.
    expect((await ask(admin, workspaceId, { invoiceId: a })).json.number).toBe(1);
    expect((await ask(admin, workspaceId, { invoiceId: c })).json.number).toBe(3);
    expect(boundRows(workspaceId)).toBe(3);
  });

  it('concurrent requests get distinct numbers with no gap; concurrent retries of one invoice get one', async () => {
    const start = boundRows(workspaceId);
    const ids = Array.from({ length: 24 }, newInvoiceId);
    const answers = await Promise.all(
      ids.map((invoiceId, n) => ask(n % 2 === 0 ? member : admin, workspaceId, { invoiceId })),
    );
    const numbers = answers.map((answer) => answer.json.number).sort((x, y) => (x ?? 0) - (y ?? 0));
    expect(numbers).toEqual(ids.map((_, n) => start + n + 1));

    const one = newInvoiceId();
    const repeats = await Promise.all(
      Array.from({ length: 8 }, () => ask(member, workspaceId, { invoiceId: one })),
    );
    expect(new Set(repeats.map((answer) => answer.json.number))).toEqual(
      new Set([start + ids.length + 1]),
    );
    expect(repeats.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(boundRows(workspaceId)).toBe(start + ids.length + 1);
  });

  it('each workspace counts on its own', async () => {
    const ours = boundRows(workspaceId);
    const theirs = await ask(otherAdmin, otherWorkspaceId, { invoiceId: newInvoiceId() });
    expect([theirs.status, theirs.json.number]).toEqual([201, 1]);
    expect(boundRows(workspaceId)).toBe(ours);
  });

  it('notBelow lets a vault continue after the numbers it gave out before it synced', async () => {
    const { workspaceId: fresh, admin: owner } = await adminWithWorkspace(server, 'migrated');
    expect((await ask(owner, fresh, { invoiceId: newInvoiceId(), notBelow: 42 })).json.number).toBe(
      42,
    );
    expect((await ask(owner, fresh, { invoiceId: newInvoiceId() })).json.number).toBe(43);
    // A floor under the next number changes nothing.
    expect((await ask(owner, fresh, { invoiceId: newInvoiceId(), notBelow: 5 })).json.number).toBe(
      44,
    );
  });

  it('answers 409 INVOICE_NUMBERS_EXHAUSTED after the last number, binding nothing', async () => {
    const { workspaceId: full, admin: owner } = await adminWithWorkspace(server, 'full');
    const last = await ask(owner, full, {
      invoiceId: newInvoiceId(),
      notBelow: MAX_INVOICE_NUMBER,
    });
    expect(last.json.number).toBe(MAX_INVOICE_NUMBER);
    const before = snapshot(server);
    const over = await ask(owner, full, { invoiceId: newInvoiceId() });
    expect([over.status, over.json.error?.code]).toEqual([409, 'INVOICE_NUMBERS_EXHAUSTED']);
    expect(snapshot(server)).toBe(before);
  });
});

describe('invoice numbers refused', () => {
  it('a viewer is 403; another workspace or an unknown one is 404; nothing is bound', async () => {
    const before = snapshot(server);
    const cases: [User, string, number, string][] = [
      [viewer, workspaceId, 403, 'FORBIDDEN_ROLE'],
      [otherAdmin, workspaceId, 404, 'WORKSPACE_NOT_FOUND'],
      [admin, otherWorkspaceId, 404, 'WORKSPACE_NOT_FOUND'],
      [admin, unusedUuid([workspaceId, otherWorkspaceId]), 404, 'WORKSPACE_NOT_FOUND'],
    ];
    for (const [user, id, status, code] of cases) {
      const answer = await ask(user, id, { invoiceId: newInvoiceId() });
      expect([answer.status, answer.json.error?.code], `${status} ${code}`).toEqual([status, code]);
      expect(Object.keys(answer.json)).toEqual(['error']);
    }
    const anonymous = await server.request<Answer>(
      'POST',
      `/v1/workspaces/${workspaceId}/invoice-numbers`,
      { body: { invoiceId: newInvoiceId() } },
    );
    expect(anonymous.status).toBe(401);
    expect(snapshot(server)).toBe(before);
  });

  it('bad input is 400 INVALID_REQUEST and binds nothing', async () => {
    const before = snapshot(server);
    const bodies: unknown[] = [
      {},
      { invoiceId: 'not-a-uuid' },
      { invoiceId: '0190000A-0000-7000-8000-00000000000F' }, // upper case
      { invoiceId: newInvoiceId(), notBelow: 0 },
      { invoiceId: newInvoiceId(), notBelow: 1.5 },
      { invoiceId: newInvoiceId(), notBelow: MAX_INVOICE_NUMBER + 1 },
      { invoiceId: newInvoiceId(), number: 7 },
      [newInvoiceId()],
    ];
    for (const body of bodies) {
      const answer = await ask(member, workspaceId, body);
      expect([answer.status, answer.json.error?.code], JSON.stringify(body)).toEqual([
        400,
        'INVALID_REQUEST',
      ]);
    }
    expect(snapshot(server)).toBe(before);
  });
});
