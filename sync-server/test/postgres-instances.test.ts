import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AUDIT_RETENTION_MS, createPruneJob } from '../audit/audit.prune.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PostgresStorage } from '../storage/postgres/postgres-storage.js';
import type { AccountsTestServer } from './accounts-support.js';
import { startTwoPostgresInstances, type TwoInstances } from './support/postgres-instances.js';
import { adminWithWorkspace, joinAs } from './workspaces-support.js';

let instances: TwoInstances;
let first: AccountsTestServer;
let second: AccountsTestServer;

beforeAll(async () => {
  instances = await startTwoPostgresInstances();
  ({ first, second } = instances);
});
afterAll(() => instances?.close());

/** Invoice ids numbered by the test: two calls never hand out the same id. */
let invoiceCount = 0;
const newInvoiceId = (): string =>
  `01900000-0000-7000-8000-${(invoiceCount += 1).toString(16).padStart(12, '0')}`;

interface NumberAnswer {
  invoiceId?: string;
  number?: number;
}

/** A promise and the call that settles it, for a job the test holds open. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const db = (server: AccountsTestServer) => (server.deps.storage as PostgresStorage).db;

describe('invoice numbers through two instances', () => {
  it('many concurrent requests split over both get unique numbers without a gap; retries of one invoice on both get one', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(first, 'invoices');
    const member = await joinAs(second, admin.token, workspaceId, 'member');
    const ids = Array.from({ length: 60 }, newInvoiceId);
    const answers = await Promise.all(
      ids.map((invoiceId, n) =>
        (n % 2 === 0 ? first : second).request<NumberAnswer>(
          'POST',
          `/v1/workspaces/${workspaceId}/invoice-numbers`,
          { token: n % 3 === 0 ? admin.token : member.token, body: { invoiceId } },
        ),
      ),
    );
    for (const answer of answers) expect(answer.status, answer.text).toBe(201);
    const numbers = answers.map((answer) => answer.json.number ?? 0).sort((a, b) => a - b);
    expect(numbers).toEqual(ids.map((_, n) => n + 1));
    // Each invoice kept the number it was answered with.
    const bound = await db(first).query<{ invoice_id: string; number: number }>(
      'SELECT invoice_id, number FROM invoice_numbers WHERE workspace_id = $1',
      [workspaceId],
    );
    expect(new Map(bound.rows.map((row) => [row.invoice_id, row.number]))).toEqual(
      new Map(answers.map((answer) => [answer.json.invoiceId, answer.json.number])),
    );

    const one = newInvoiceId();
    const repeats = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        (n % 2 === 0 ? first : second).request<NumberAnswer>(
          'POST',
          `/v1/workspaces/${workspaceId}/invoice-numbers`,
          { token: member.token, body: { invoiceId: one } },
        ),
      ),
    );
    expect(new Set(repeats.map((answer) => answer.json.number))).toEqual(new Set([61]));
    expect(repeats.filter((answer) => answer.status === 201)).toHaveLength(1);
  });
});

describe('housekeeping on one instance at a time', () => {
  it('a job one instance is running is skipped by the other, and runs there once it is free', async () => {
    const held = gate();
    const started = gate();
    const running = first.deps.storage.runExclusive('audit', async () => {
      started.open();
      await held.opened;
      return 'first ran it';
    });
    await started.opened;
    expect(await second.deps.storage.runExclusive('audit', async () => 'second ran it')).toEqual({
      ran: false,
    });
    // Only that job is taken: another runs at once.
    expect(await second.deps.storage.runExclusive('sessions', async () => 7)).toEqual({
      ran: true,
      value: 7,
    });
    held.open();
    expect(await running).toEqual({ ran: true, value: 'first ran it' });
    expect(await second.deps.storage.runExclusive('audit', async () => 'second ran it')).toEqual({
      ran: true,
      value: 'second ran it',
    });
  });

  it('a job that fails lets go of its lock', async () => {
    await expect(
      first.deps.storage.runExclusive('change-log', async () => {
        throw new Error('the job failed');
      }),
    ).rejects.toThrow('the job failed');
    expect(await second.deps.storage.runExclusive('change-log', async () => 1)).toEqual({
      ran: true,
      value: 1,
    });
  });

  it('the audit prune leaves the rows to the instance running it, then prunes them once it is done', async () => {
    // Audit rows made now; the second instance's clock then stands past their retention.
    await adminWithWorkspace(first, 'audited');
    // Each request's row is written after its answer has gone out (the onResponse hook).
    await (first.deps.audit as AuditService).settled();
    second.clock.set(first.clock.now() + AUDIT_RETENTION_MS + 60_000);
    const countAudit = async (): Promise<number> =>
      (await db(first).query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]
        ?.n ?? 0;
    const before = await countAudit();
    expect(before).toBeGreaterThan(0);

    const job = createPruneJob(second.deps);
    const held = gate();
    const started = gate();
    const running = first.deps.storage.runExclusive('audit', async () => {
      started.open();
      await held.opened;
    });
    await started.opened;
    const skipped = await job.runOnce();
    expect(Object.keys(skipped).sort()).toEqual(['change-log', 'sessions', 'snapshot-uploads']);
    expect(await countAudit()).toBe(before);

    held.open();
    await running;
    const ran = await job.runOnce();
    expect(ran.audit).toBeGreaterThan(0);
    expect(await countAudit()).toBeLessThan(before);
  });
});
