import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  kit.clients.create({ name: 'Acme', defaultCurrency: 'EUR' });
});
afterEach(() => kit.cleanup());

const LINES = [
  line('Design', 1500, 9999, 200_000, 100_000),
  line('Hosting', 12_000, 1000, 200_000),
];

describe('QuoteService', () => {
  it('creates a draft quote dated today with totals', () => {
    const quote = kit.quotes.create({ client: 'Acme', lines: LINES, validUntil: '2025-04-15' });
    expect(quote).toMatchObject({
      status: 'draft',
      effectiveStatus: 'draft',
      number: null,
      currency: 'EUR',
      issueDate: TODAY,
      validUntil: '2025-04-15',
      convertedInvoiceId: null,
      clientName: 'Acme',
    });
    // line 1: net 13499 tax 2700; line 2: net 12000 tax 2400
    expect(quote.totals).toMatchObject({
      subtotalMinor: 25_499,
      taxMinor: 5100,
      totalMinor: 30_599,
    });
  });

  it('sends (numbering QUO-0001), accepts, and refuses out-of-order transitions', () => {
    const quote = kit.quotes.create({ client: 'Acme', lines: LINES });
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.accept(quote.id));
    const sent = kit.quotes.send(quote.id);
    expect(sent).toMatchObject({ status: 'sent', number: 'QUO-0001' });
    expect(kit.quotes.get('quo-0001').id).toBe(quote.id);
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.update(quote.id, { notes: 'x' }));
    expect(kit.quotes.accept('QUO-0001').status).toBe('accepted');
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.decline('QUO-0001'));
  });

  it('a sent quote past its valid-until date reads as expired and cannot be accepted or converted', () => {
    const quote = kit.quotes.create({
      client: 'Acme',
      lines: LINES,
      issueDate: '2025-01-01',
      validUntil: '2025-02-01',
    });
    kit.quotes.send(quote.id);
    expect(kit.quotes.get(quote.id).effectiveStatus).toBe('expired');
    expect(kit.quotes.list({ status: 'expired' }).map((q) => q.id)).toEqual([quote.id]);
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.accept(quote.id), /expired/);
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.convert(quote.id), /expired/);
    expect(kit.quotes.decline(quote.id).status).toBe('declined');
  });

  it('converts into a DRAFT invoice copying client, currency and lines, linked both ways', () => {
    const quote = kit.quotes.create({ client: 'Acme', lines: LINES, notes: 'Phase 1' });
    kit.quotes.send(quote.id);
    kit.quotes.accept(quote.id);
    const seq = lastSeq(kit);
    const { quote: converted, invoice } = kit.quotes.convert(quote.id);

    expect(converted).toMatchObject({ status: 'converted', convertedInvoiceId: invoice.id });
    expect(invoice).toMatchObject({
      status: 'draft',
      number: null,
      clientId: quote.clientId,
      currency: 'EUR',
      quoteId: quote.id,
      notes: 'Phase 1',
    });
    const strip = (lines: typeof LINES) =>
      lines.map(({ description, quantityMilli, unitPriceMinor, taxRatePpm, discountPpm }) => ({
        description,
        quantityMilli,
        unitPriceMinor,
        taxRatePpm,
        discountPpm,
      }));
    expect(strip(invoice.lines)).toEqual(strip(quote.lines));
    expect(invoice.lines.map((l) => l.id)).not.toEqual(quote.lines.map((l) => l.id));
    expect(invoice.totals).toEqual(quote.totals);
    expect(kit.invoices.get(invoice.id).quoteId).toBe(quote.id);

    const changes = changesSince(kit, seq);
    expect(changes.map((c) => `${c.collection}:${c.op}`)).toEqual([
      'invoices:upsert',
      'quotes:upsert',
    ]);
    expect(changes[1]?.fields).toMatchObject({
      status: 'converted',
      convertedInvoiceId: invoice.id,
    });

    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.convert(quote.id), /converted/);
    // the invoice it made goes on like any draft
    expect(kit.invoices.issue(invoice.id).number).toBe('INV-0001');
  });

  it('converts a draft quote directly, but not a declined or an empty one', () => {
    const draft = kit.quotes.create({ client: 'Acme', lines: LINES });
    expect(kit.quotes.convert(draft.id).invoice.status).toBe('draft');

    const declined = kit.quotes.create({ client: 'Acme', lines: LINES });
    kit.quotes.send(declined.id);
    kit.quotes.decline(declined.id);
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.convert(declined.id), /declined/);

    const empty = kit.quotes.create({ client: 'Acme' });
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.convert(empty.id), /no lines/);
    expectRejected(kit, 'NOT_FOUND', () => kit.quotes.convert('QUO-0404'));
  });

  it('deletes drafts only, recording a tombstone; a sent quote keeps its number and is declined instead', () => {
    const draft = kit.quotes.create({ client: 'Acme', lines: LINES });
    const seq = lastSeq(kit);
    kit.quotes.deleteDraft(draft.id);
    expectRejected(kit, 'NOT_FOUND', () => kit.quotes.get(draft.id));
    expect(kit.quotes.list().map((q) => q.id)).not.toContain(draft.id);
    expect(changesSince(kit, seq)).toEqual([
      expect.objectContaining({ collection: 'quotes', recordId: draft.id, op: 'delete' }),
    ]);
    expectRejected(kit, 'NOT_FOUND', () => kit.quotes.deleteDraft(draft.id));

    const sent = kit.quotes.send(kit.quotes.create({ client: 'Acme', lines: LINES }).id);
    expectRejected(kit, 'INVALID_STATE', () => kit.quotes.deleteDraft(sent.id), /decline/);
    expect(kit.quotes.get(sent.id).number).toBe(sent.number);
  });

  it('rejects bad input writing nothing', () => {
    expectRejected(kit, 'INVALID_DATE', () =>
      kit.quotes.create({ client: 'Acme', validUntil: '2025-13-01' }),
    );
    expectRejected(
      kit,
      'INVALID_DATE',
      () => kit.quotes.create({ client: 'Acme', validUntil: '2025-03-01' }),
      /before its issue date/,
    );
    expectRejected(kit, 'NOT_FOUND', () => kit.quotes.create({ client: 'Nobody' }));
    expectRejected(kit, 'INVALID_INPUT', () =>
      kit.quotes.create({ client: 'Acme', lines: [line('x', 1000, 1, 2_000_000)] }),
    );
  });
});
