import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  changesSince,
  createInvoicingKit,
  expectRejected,
  lastSeq,
  line,
  type InvoicingKit,
} from '../testing/invoicing-test-kit.js';

let kit: InvoicingKit;
beforeEach(async () => {
  kit = await createInvoicingKit();
  kit.clients.create({ name: 'Acme', defaultCurrency: 'USD' });
  kit.clients.create({ name: 'Globex', defaultCurrency: 'GBP' });
});
afterEach(() => kit.cleanup());

const RETAINER = [line('Monthly retainer', 1000, 150_000, 88_750)];

describe('RecurringService', () => {
  it('creates a schedule whose first occurrence is its start date', () => {
    const schedule = kit.recurring.create({
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2025-01-31',
      lines: RETAINER,
    });
    expect(schedule).toMatchObject({
      currency: 'USD',
      interval: 1,
      nextDate: '2025-01-31',
      endDate: null,
      dueDays: 30,
      active: true,
    });
    expect(schedule.lines).toHaveLength(1);
    expect(changesSince(kit).at(-1)).toMatchObject({
      collection: 'recurring_schedules',
      op: 'upsert',
    });
  });

  it('catches up every missed month with month-end clamping, issues them in date order, and is idempotent', () => {
    const schedule = kit.recurring.create({
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2024-11-30',
      dueDays: 14,
      lines: RETAINER,
      paymentInstructions: { method: 'bank_transfer', details: 'IBAN XX00 0000' },
      notes: 'Retainer',
    });
    const generated = kit.recurring.generateDue('2025-03-15');
    expect(generated.map((g) => g.periodDate)).toEqual([
      '2024-11-30',
      '2024-12-30',
      '2025-01-30',
      '2025-02-28',
    ]);
    expect(generated.map((g) => g.invoice.number)).toEqual([
      'INV-0001',
      'INV-0002',
      'INV-0003',
      'INV-0004',
    ]);
    const feb = generated[3]?.invoice;
    expect(feb).toMatchObject({
      status: 'sent',
      issueDate: '2025-02-28',
      dueDate: '2025-03-14',
      effectiveStatus: 'overdue',
      currency: 'USD',
      scheduleId: schedule.id,
      notes: 'Retainer',
      paymentInstructions: { method: 'bank_transfer', details: 'IBAN XX00 0000' },
    });
    // 1500.00 + 8.875 % = 133.125 → 133.13
    expect(feb?.totals).toMatchObject({
      subtotalMinor: 150_000,
      taxMinor: 13_313,
      totalMinor: 163_313,
    });
    expect(kit.recurring.get(schedule.id).nextDate).toBe('2025-03-30');

    // same day again: nothing new, nothing written
    const before = kit.counts();
    expect(kit.recurring.generateDue('2025-03-15')).toEqual([]);
    expect(kit.counts()).toEqual(before);
    expect(kit.invoices.list({ client: 'Acme' })).toHaveLength(4);
  });

  it('keeps the day of a month-end start: Jan 31 → Feb 28 → Mar 31 → Apr 30', () => {
    kit.recurring.create({
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2025-01-31',
      lines: RETAINER,
    });
    expect(kit.recurring.generateDue('2025-01-31').map((g) => g.periodDate)).toEqual([
      '2025-01-31',
    ]);
    expect(kit.recurring.generateDue('2025-02-28').map((g) => g.periodDate)).toEqual([
      '2025-02-28',
    ]);
    expect(kit.recurring.generateDue('2025-03-30')).toEqual([]);
    expect(kit.recurring.generateDue('2025-04-30').map((g) => g.periodDate)).toEqual([
      '2025-03-31',
      '2025-04-30',
    ]);
  });

  it('stops at the end date and deactivates the schedule', () => {
    const schedule = kit.recurring.create({
      client: 'Acme',
      frequency: 'weekly',
      interval: 2,
      startDate: '2025-01-06',
      endDate: '2025-02-03',
      lines: RETAINER,
    });
    expect(kit.recurring.generateDue('2025-12-31').map((g) => g.periodDate)).toEqual([
      '2025-01-06',
      '2025-01-20',
      '2025-02-03',
    ]);
    expect(kit.recurring.get(schedule.id)).toMatchObject({ active: false, nextDate: '2025-02-17' });
    expect(kit.recurring.generateDue('2026-06-30')).toEqual([]);
  });

  it('numbers invoices of several schedules by date, then schedule', () => {
    kit.recurring.create({
      client: 'Globex',
      frequency: 'quarterly',
      startDate: '2025-01-15',
      lines: RETAINER,
    });
    kit.recurring.create({
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2025-01-01',
      lines: RETAINER,
    });
    const generated = kit.recurring.generateDue('2025-03-15');
    expect(
      generated.map(
        (g) => `${g.periodDate} ${g.invoice.clientName} ${g.invoice.currency} ${g.invoice.number}`,
      ),
    ).toEqual([
      '2025-01-01 Acme USD INV-0001',
      '2025-01-15 Globex GBP INV-0002',
      '2025-02-01 Acme USD INV-0003',
      '2025-03-01 Acme USD INV-0004',
    ]);
  });

  it('records the schedule advance in the same transaction as the invoices', () => {
    const schedule = kit.recurring.create({
      client: 'Acme',
      frequency: 'yearly',
      startDate: '2024-02-29',
      lines: RETAINER,
    });
    const seq = lastSeq(kit);
    kit.recurring.generateDue('2025-03-01');
    const changes = changesSince(kit, seq);
    expect(changes.map((c) => c.collection)).toEqual([
      'invoices',
      'invoices',
      'recurring_schedules',
    ]);
    expect(changes[2]?.fields).toMatchObject({ nextDate: '2026-02-28' });
    expect(changes.slice(0, 2).map((c) => c.fields.issueDate)).toEqual([
      '2024-02-29',
      '2025-02-28',
    ]);
    expect(kit.recurring.get(schedule.id).nextDate).toBe('2026-02-28');
  });

  it('a paused schedule generates nothing; resuming skips the paused periods', () => {
    const schedule = kit.recurring.create({
      client: 'Acme',
      frequency: 'monthly',
      startDate: '2025-01-10',
      lines: RETAINER,
    });
    kit.recurring.generateDue('2025-01-10');
    kit.recurring.pause(schedule.id);
    expect(kit.recurring.generateDue('2025-04-20')).toEqual([]);
    expect(kit.recurring.resume(schedule.id, '2025-04-20').nextDate).toBe('2025-05-10');
    expect(kit.recurring.generateDue('2025-05-10').map((g) => g.periodDate)).toEqual([
      '2025-05-10',
    ]);
  });

  it('rejects bad schedules writing nothing', () => {
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.recurring.create({
        client: 'Acme',
        frequency: 'monthly',
        startDate: '2025-01-01',
        lines: [],
      }),
    );
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.recurring.create({
        client: 'Acme',
        frequency: 'daily' as never,
        startDate: '2025-01-01',
        lines: RETAINER,
      }),
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.recurring.create({
        client: 'Acme',
        frequency: 'monthly',
        startDate: '2025-02-29',
        lines: RETAINER,
      }),
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.recurring.create({
        client: 'Acme',
        frequency: 'monthly',
        startDate: '2025-02-01',
        endDate: '2025-01-01',
        lines: RETAINER,
      }),
    );
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.recurring.create({
        client: 'Nobody',
        frequency: 'monthly',
        startDate: '2025-01-01',
        lines: RETAINER,
      }),
    );
    expectRejected(kit, 'NOT_FOUND', () => kit.recurring.pause('not-an-id'));
  });
});
