import { randomUUID } from 'node:crypto';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { describeStorage, seedUser, seedWorkspace } from '../test/support/storage-backends.js';
import { InvoiceNumbersExhaustedError, MAX_INVOICE_NUMBER } from './invoice-number.repository.js';
import type { Storage } from './storage.js';

let storage: Storage;
const options = { userId: 'u1', now: 1_000, notBelow: 1 };

describeStorage('InvoiceNumberRepository', (backend) => {
  beforeEach(async () => {
    storage = (await backend.open()).storage;
    await seedUser(storage, 'u1');
    await seedWorkspace(storage, 'w1', 'u1');
    await seedWorkspace(storage, 'w2', 'u1');
  });
  afterEach(async () => storage.close());

  it('numbers invoices from 1 per workspace, and gives an invoice its number again', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await storage.invoiceNumbers.assign('w1', a, options)).toEqual({
      number: 1,
      assignedNow: true,
    });
    expect(await storage.invoiceNumbers.assign('w1', b, options)).toEqual({
      number: 2,
      assignedNow: true,
    });
    expect(await storage.invoiceNumbers.assign('w1', a, options)).toEqual({
      number: 1,
      assignedNow: false,
    });
    expect(await storage.invoiceNumbers.assign('w2', b, options)).toEqual({
      number: 1,
      assignedNow: true,
    });
  });

  it('starts at notBelow when asked, and stops at the highest number', async () => {
    expect(
      (await storage.invoiceNumbers.assign('w1', randomUUID(), { ...options, notBelow: 100 }))
        .number,
    ).toBe(100);
    expect((await storage.invoiceNumbers.assign('w1', randomUUID(), options)).number).toBe(101);
    await storage.invoiceNumbers.assign('w2', randomUUID(), {
      ...options,
      notBelow: MAX_INVOICE_NUMBER,
    });
    await expect(storage.invoiceNumbers.assign('w2', randomUUID(), options)).rejects.toThrow(
      InvoiceNumbersExhaustedError,
    );
  });

  it('hands out concurrent numbers without gaps or repeats', async () => {
    const invoices = Array.from({ length: 24 }, () => randomUUID());
    const assigned = await Promise.all(
      [...invoices, ...invoices.slice(0, 6)].map((id) =>
        storage.invoiceNumbers.assign('w1', id, options),
      ),
    );
    const numbers = new Map<number, number>();
    invoices.forEach((_, i) => numbers.set(i, assigned[i]?.number ?? 0));
    expect([...numbers.values()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    // The repeated requests got the number their invoice already had.
    for (let i = 0; i < 6; i += 1) expect(assigned[24 + i]?.number).toBe(assigned[i]?.number);
  });
});
