import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CofferError } from '../../../shared/errors/coffer-error.js';
import { issueInvoice } from '../invoicing/invoice-issuer.js';
import type { InvoiceNumberSource } from '../invoicing/invoice-issuer.js';
import { createInvoicingServices } from '../invoicing/invoicing-services.js';
import type { InvoicingServices } from '../invoicing/invoicing-services.js';
import { createTempVault } from '../testing/temp-vault.js';
import type { TempVault } from '../testing/temp-vault.js';
import { line } from '../testing/invoicing-test-kit.js';
import { parseFingerprint } from './client/pinned-agent.js';
import { startRestartableSyncServer } from './client/testing/restartable-sync-server.js';
import type { RestartableSyncServer } from './client/testing/restartable-sync-server.js';
import { syncOnce } from './engine/sync-once.js';
import { ServerInvoiceNumbers, invoiceNumberSourceFor } from './server-invoice-numbers.js';
import { SyncAccountService } from './sync-account.service.js';

/**
 * Invoice numbers of a synced workspace come from the sync server (a child process, TLS 1.3,
 * pinned), bound to the invoice id; a local-only vault numbers on its own. Two devices of one
 * account, each a real vault.
 */
const PASSWORD = 'cobalt meadow lantern 31';

let server: RestartableSyncServer;
beforeAll(async () => {
  server = await startRestartableSyncServer();
}, 120_000);
afterAll(async () => server?.stop());

interface Device {
  temp: TempVault;
  account: SyncAccountService;
  services: InvoicingServices;
}

const device = async (name: string): Promise<Device> => {
  const temp = await createTempVault();
  return {
    temp,
    account: new SyncAccountService({
      vault: temp.vault,
      keyStore: temp.keyStore,
      deviceName: name,
    }),
    services: createInvoicingServices(temp.vault),
  };
};

const target = () => ({
  serverUrl: server.url,
  fingerprint: parseFingerprint(server.fingerprint),
});

const sync = (d: Device) =>
  d.account.withWorkspaceSync((api, workspace, keyring) =>
    syncOnce(d.temp.vault, api, workspace.workspaceId, keyring),
  );

/** The numbers the server bound in `workspaceId`, by invoice id, read from its database. */
const boundOnServer = (workspaceId: string): Map<string, number> => {
  const db = new Database(join(server.dataDir, 'coffer-server.db'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT invoice_id, number FROM invoice_numbers WHERE workspace_id = ?')
      .all(workspaceId) as { invoice_id: string; number: number }[];
    return new Map(rows.map((row) => [row.invoice_id, row.number]));
  } finally {
    db.close();
  }
};

const draftFor = (d: Device, description: string): string =>
  d.services.invoices.createDraft({
    client: 'Northwind',
    lines: [line(description, 1000, 25_000)],
  }).id;

describe('invoice numbers from the sync server', { timeout: 600_000 }, () => {
  const devices: Device[] = [];
  afterAll(() => {
    for (const d of devices) d.temp.cleanup();
  });

  it('two devices issuing at once get distinct numbers with no gap; a lost answer is retried to the same number; offline leaves the draft', async () => {
    const laptop = await device('laptop');
    const desktop = await device('desktop');
    devices.push(laptop, desktop);
    const email = `numbers-${process.pid}@example.test`;
    const { recoveryKey } = await laptop.account.register(target(), { email, password: PASSWORD });
    const { workspaceId } = await laptop.account.createWorkspace('Studio books');
    laptop.services.clients.create({ name: 'Northwind', defaultCurrency: 'EUR' });
    await sync(laptop);
    await desktop.account.login(target(), { email, password: PASSWORD, recoveryKey });
    await sync(desktop);
    expect(desktop.services.clients.list().map((c) => c.name)).toEqual(['Northwind']);

    // Without the server, the vault's own numberer refuses: a synced vault never counts alone.
    const refused = draftFor(laptop, 'Refused locally');
    let refusal: unknown;
    try {
      laptop.services.invoices.issue(refused);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'INVOICE_NUMBER_FROM_SERVER' });
    expect(laptop.services.invoices.get(refused)).toMatchObject({ status: 'draft', number: null });
    // Nor does a recurring run, which issues on its own: refused whole, nothing generated.
    const schedule = laptop.services.recurring.create({
      client: 'Northwind',
      frequency: 'monthly',
      startDate: '2026-01-01',
      lines: [line('Retainer', 1000, 90_000)],
    });
    let recurringRefusal: unknown;
    try {
      laptop.services.recurring.generateDue('2026-03-01');
    } catch (error) {
      recurringRefusal = error;
    }
    expect(recurringRefusal).toMatchObject({ code: 'INVOICE_NUMBER_FROM_SERVER' });
    expect(laptop.services.recurring.get(schedule.id).nextDate).toBe('2026-01-01');
    expect(laptop.services.invoices.list().filter((i) => i.scheduleId !== null)).toEqual([]);

    const source = (d: Device): InvoiceNumberSource => {
      const numbers = invoiceNumberSourceFor({
        vault: d.temp.vault,
        keyStore: d.temp.keyStore,
        deviceName: 'test',
      });
      if (numbers === null) throw new Error('a synced vault has a server number source');
      return numbers;
    };

    // Concurrently: 6 drafts on each device, all issued at once.
    const PER_DEVICE = 6;
    const drafts = [laptop, desktop].flatMap((d, n) =>
      Array.from({ length: PER_DEVICE }, (_, i) => ({ d, id: draftFor(d, `d${n} job ${i}`) })),
    );
    const issued = await Promise.all(
      drafts.map(({ d, id }) => issueInvoice(d.services.invoices, source(d), id)),
    );
    // The draft refused above has no number yet, so the issued ones are exactly 1..12.
    const numbers = issued.map((invoice) => invoice.number).sort();
    expect(numbers).toEqual(
      Array.from({ length: 2 * PER_DEVICE }, (_, n) => `INV-${String(n + 1).padStart(4, '0')}`),
    );
    expect(issued.every((invoice) => invoice.status === 'sent')).toBe(true);
    // Each number is the one the server bound to that invoice's id.
    const bound = boundOnServer(workspaceId);
    for (const invoice of issued) {
      expect(`INV-${String(bound.get(invoice.id)).padStart(4, '0')}`).toBe(invoice.number);
    }

    // The server binds a number, the answer is lost: the draft stays a draft, and the retry
    // gets that same number.
    const lostId = draftFor(laptop, 'Answer lost');
    const real = new ServerInvoiceNumbers(laptop.account);
    let boundBeforeLoss: number | undefined;
    const losing: InvoiceNumberSource = {
      numberFor: async (invoiceId, notBelow) => {
        boundBeforeLoss = await real.numberFor(invoiceId, notBelow);
        throw new CofferError('SERVER_UNREACHABLE', 'The connection to the sync server broke.');
      },
    };
    await expect(issueInvoice(laptop.services.invoices, losing, lostId)).rejects.toMatchObject({
      code: 'SERVER_UNREACHABLE',
    });
    expect(boundBeforeLoss).toBe(2 * PER_DEVICE + 1);
    expect(laptop.services.invoices.get(lostId)).toMatchObject({ status: 'draft', number: null });
    const retried = await issueInvoice(laptop.services.invoices, real, lostId);
    expect(retried.number).toBe(`INV-${String(boundBeforeLoss).padStart(4, '0')}`);

    // Both devices converge on the same numbers.
    await sync(laptop);
    await sync(desktop);
    await sync(laptop);
    const byId = (d: Device) =>
      new Map(d.services.invoices.list().map((invoice) => [invoice.id, invoice.number]));
    expect(byId(desktop)).toEqual(byId(laptop));
    expect([...byId(laptop).values()].filter((n) => n !== null)).toHaveLength(2 * PER_DEVICE + 1);

    // Offline: the issue fails with a clear code and the draft is exactly as it was.
    await server.kill('SIGTERM');
    try {
      const before = desktop.services.invoices.get(refused);
      const pending = desktop.temp.vault.changes.pendingCount();
      await expect(
        issueInvoice(desktop.services.invoices, source(desktop), refused),
      ).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE', details: { invoiceId: refused } });
      expect(desktop.services.invoices.get(refused)).toEqual(before);
      expect(desktop.temp.vault.changes.pendingCount()).toBe(pending);
    } finally {
      await server.restart();
    }
  });

  it('a local-only vault numbers its invoices itself and never asks a server', async () => {
    const local = await device('local');
    devices.push(local);
    expect(
      invoiceNumberSourceFor({
        vault: local.temp.vault,
        keyStore: local.temp.keyStore,
        deviceName: 'local',
      }),
    ).toBeNull();
    local.services.clients.create({ name: 'Northwind', defaultCurrency: 'EUR' });
    const first = await issueInvoice(local.services.invoices, null, draftFor(local, 'One'));
    const second = local.services.invoices.issue(draftFor(local, 'Two'));
    expect([first.number, second.number]).toEqual(['INV-0001', 'INV-0002']);
  });
});
