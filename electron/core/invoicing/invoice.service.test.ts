import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalInvoiceNumberer } from './invoice-numberer.js';
import {
  TODAY,
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
  kit.clients.create({ name: 'Globex' });
});
afterEach(() => kit.cleanup());

describe('InvoiceService drafts', () => {
  it('creates a draft without a number, in the client’s default currency, with exact totals', () => {
    const draft = kit.invoices.createDraft({
      client: 'acme',
      lines: [line('Consulting', 3000, 3333, 88_750)],
      paymentInstructions: { method: 'zelle', details: 'pay@acme.test' },
    });
    expect(draft).toMatchObject({
      number: null,
      status: 'draft',
      effectiveStatus: 'draft',
      currency: 'USD',
      clientName: 'Acme',
      issueDate: null,
      dueDate: null,
      paymentInstructions: { method: 'zelle', details: 'pay@acme.test' },
    });
    // 3 × 33.33 = 99.99; tax 8.875 % = 8.874… → 8.87; total 108.86
    expect(draft.totals).toMatchObject({
      subtotalMinor: 9999,
      taxMinor: 887,
      totalMinor: 10_886,
    });
    expect(draft.balanceDueMinor).toBe(10_886);
    expect(draft.lines[0]).toMatchObject({
      description: 'Consulting',
      quantityMilli: 3000,
      unitPriceMinor: 3333,
    });
  });

  it('records lines inside the invoice change (money-bearing field `lines`)', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: [line('A', 1000, 500), line('B', 2000, 250)],
    });
    const change = changesSince(kit).find((c) => c.collection === 'invoices');
    expect(change).toMatchObject({ recordId: draft.id, op: 'upsert' });
    expect(change?.fields.lines).toEqual(draft.lines);
    expect(change?.fields).not.toHaveProperty('id');
  });

  it('needs a currency when the client has none, and rejects bad input writing nothing', () => {
    expectRejected(
      kit,
      'INVALID_INPUT',
      () => kit.invoices.createDraft({ client: 'Globex' }),
      /currency/,
    );
    expectRejected(kit, 'NOT_FOUND', () =>
      kit.invoices.createDraft({ client: 'Initech', currency: 'USD' }),
    );
    expectRejected(kit, 'UNKNOWN_CURRENCY', () =>
      kit.invoices.createDraft({ client: 'Acme', currency: 'XYZ' }),
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.invoices.createDraft({ client: 'Acme', issueDate: '2025-02-30' }),
    );
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.invoices.createDraft({
        client: 'Acme',
        issueDate: '2025-03-10',
        dueDate: '2025-03-01',
      }),
    );
    expectRejected(
      kit,
      'INVALID_AMOUNT',
      () =>
        kit.invoices.createDraft({
          client: 'Acme',
          lines: [line('Float', 1000, 12.34)],
        }),
      /lines\.0\.unitPriceMinor/,
    );
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('Zero', 0, 100)],
      }),
    );
    expectRejected(kit, 'AMOUNT_OUT_OF_RANGE', () =>
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('Huge', 1000, Number.MAX_SAFE_INTEGER), line('More', 1000, 1)],
      }),
    );
  });

  it('updates a draft (lines replaced, only changed fields recorded) and nothing else', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: [line('A', 1000, 500)],
    });
    const seq = lastSeq(kit);
    const updated = kit.invoices.updateDraft(draft.id, {
      notes: 'Thanks!',
      lines: [line('B', 1500, 1000, 200_000)],
    });
    expect(updated.notes).toBe('Thanks!');
    expect(updated.lines).toHaveLength(1);
    expect(updated.totals.totalMinor).toBe(1800);
    expect(kit.invoices.get(draft.id).lines).toEqual(updated.lines);
    const [change] = changesSince(kit, seq);
    expect(Object.keys(change?.fields ?? {}).sort()).toEqual(['lines', 'notes', 'updatedAt']);

    kit.invoices.issue(draft.id);
    expectRejected(
      kit,
      'INVALID_STATE',
      () => kit.invoices.updateDraft(draft.id, { notes: 'late' }),
      /only draft/,
    );
  });
});

describe('InvoiceService issue / void', () => {
  it('numbers issued invoices INV-0001, INV-0002… and sets dates (due = issue + 30 days by default)', () => {
    const a = kit.invoices.createDraft({
      client: 'Acme',
      lines: [line('A', 1000, 100)],
    });
    const b = kit.invoices.createDraft({
      client: 'Acme',
      lines: [line('B', 1000, 100)],
    });
    const issuedB = kit.invoices.issue(b.id);
    const issuedA = kit.invoices.issue(a.id, {
      issueDate: '2025-03-01',
      dueDays: 14,
    });
    expect(issuedB).toMatchObject({
      number: 'INV-0001',
      status: 'sent',
      issueDate: TODAY,
      dueDate: '2025-04-14',
    });
    expect(issuedA).toMatchObject({
      number: 'INV-0002',
      issueDate: '2025-03-01',
      dueDate: '2025-03-15',
    });
    expect(kit.invoices.get('inv-0002').id).toBe(a.id);
  });

  it('issues only drafts with lines; a failed issue consumes no number', () => {
    const empty = kit.invoices.createDraft({ client: 'Acme' });
    expectRejected(kit, 'INVALID_STATE', () => kit.invoices.issue(empty.id), /no lines/);
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: [line('A', 1000, 100)],
      issueDate: '2025-03-10',
    });
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.invoices.issue(draft.id, { dueDate: '2025-03-01' }),
    );
    expect(kit.invoices.issue(draft.id).number).toBe('INV-0001');
    expectRejected(kit, 'INVALID_STATE', () => kit.invoices.issue(draft.id), /is sent; only draft/);
    expectRejected(
      kit,
      'NOT_FOUND',
      () => kit.invoices.issue('INV-9999'),
      /No invoice numbered "INV-9999"/,
    );
  });

  it('voids a draft or an unpaid invoice, keeps its number used, and refuses one with payments', () => {
    const first = kit.invoices.issue(
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('A', 1000, 100)],
      }).id,
    );
    const voided = kit.invoices.voidInvoice(first.number ?? '');
    expect(voided).toMatchObject({
      status: 'void',
      effectiveStatus: 'void',
      balanceDueMinor: 0,
      number: 'INV-0001',
    });
    expectRejected(kit, 'INVALID_STATE', () => kit.invoices.voidInvoice(first.id));
    const second = kit.invoices.issue(
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('B', 1000, 100)],
      }).id,
    );
    expect(second.number).toBe('INV-0002');
    kit.payments.payInvoice('INV-0002', { amountMinor: 50 });
    expectRejected(kit, 'INVALID_STATE', () => kit.invoices.voidInvoice('INV-0002'), /payments/);
  });

  it('deletes drafts only', () => {
    const draft = kit.invoices.createDraft({
      client: 'Acme',
      lines: [line('A', 1000, 100)],
    });
    kit.invoices.deleteDraft(draft.id);
    expectRejected(kit, 'NOT_FOUND', () => kit.invoices.get(draft.id));
    const issued = kit.invoices.issue(
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('A', 1000, 100)],
      }).id,
    );
    expectRejected(kit, 'INVALID_STATE', () => kit.invoices.deleteDraft(issued.id));
  });
});

describe('InvoiceService reads', () => {
  it('derives overdue at read time and lists by effective status and client', () => {
    const overdue = kit.invoices.issue(
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('A', 1000, 100)],
      }).id,
      { issueDate: '2025-01-01', dueDate: '2025-02-01' },
    );
    const current = kit.invoices.issue(
      kit.invoices.createDraft({
        client: 'Acme',
        lines: [line('B', 1000, 100)],
      }).id,
    );
    kit.invoices.createDraft({
      client: 'Globex',
      currency: 'EUR',
      lines: [line('C', 1000, 100)],
    });

    expect(kit.invoices.get(overdue.id)).toMatchObject({
      status: 'sent',
      effectiveStatus: 'overdue',
    });
    expect(kit.invoices.get(overdue.id, '2025-01-15').effectiveStatus).toBe('sent');
    expect(kit.invoices.list({ status: 'overdue' }).map((i) => i.id)).toEqual([overdue.id]);
    expect(kit.invoices.list({ status: 'sent' }).map((i) => i.id)).toEqual([current.id]);
    expect(kit.invoices.list({ client: 'globex' }).map((i) => i.clientName)).toEqual(['Globex']);
    expect(kit.invoices.list()).toHaveLength(3);
    expectRejected(kit, 'INVALID_INPUT', () => kit.invoices.list({ status: 'late' as never }));
  });
});

describe('LocalInvoiceNumberer', () => {
  it('skips a number already used (e.g. imported) instead of colliding', () => {
    const taken = new Set(['INV-0001', 'INV-0002']);
    const numberer = new LocalInvoiceNumberer(kit.temp.vault.db, (n) => taken.has(n));
    expect(kit.temp.vault.transaction(() => numberer.next())).toBe('INV-0003');
    expect(kit.temp.vault.transaction(() => numberer.next())).toBe('INV-0004');
  });

  it('rolls the counter back with a failed transaction', () => {
    const numberer = new LocalInvoiceNumberer(kit.temp.vault.db, () => false);
    expect(() =>
      kit.temp.vault.transaction(() => {
        numberer.next();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(kit.temp.vault.transaction(() => numberer.next())).toBe('INV-0001');
  });
});
