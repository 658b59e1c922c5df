import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_UPLOAD_BYTES } from '../../../../shared/api/attachment-upload.js';
import { answerValue, openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

/** 2026-11-15, noon UTC: every "today" in these tests. */
const NOW = Date.UTC(2026, 10, 15, 12);
/** A real 1×1 PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF_BASE64 = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n').toString(
  'base64',
);

const value = answerValue;

async function openApp(): Promise<ApiTestApp['call']> {
  return (await openApiTestApp({ now: () => NOW })).call;
}

const HOURS = {
  description: 'Design work',
  quantityMilli: 10_000,
  unitPriceMinor: 8_000,
  taxRatePpm: 200_000,
};

describe('clients over the API', () => {
  it('creates, renames by name, lists, and deletes an unused client', async () => {
    const call = await openApp();
    const made = value<{ id: string }>(
      await call('clients', 'create', {
        name: 'Acme',
        email: 'ap@acme.test',
        defaultCurrency: 'EUR',
      }),
    );
    expect(
      value(await call('clients', 'update', { ref: 'acme', patch: { name: 'Acme GmbH' } })),
    ).toMatchObject({ id: made.id, name: 'Acme GmbH', email: 'ap@acme.test' });
    expect(value(await call('clients', 'list'))).toMatchObject([{ name: 'Acme GmbH' }]);
    expect(await call('clients', 'delete', { ref: made.id })).toEqual({ ok: true, value: null });
    expect(value(await call('clients', 'list'))).toEqual([]);
  });

  it('refuses to delete a client an invoice names, and keeps it', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    value(await call('invoices', 'createDraft', { client: 'Acme', lines: [HOURS] }));
    expect(await call('clients', 'delete', { ref: 'Acme' })).toMatchObject({
      ok: false,
      code: 'INVALID_STATE',
    });
    expect(value(await call('clients', 'list'))).toMatchObject([{ name: 'Acme' }]);
  });

  it('names the bad field and writes nothing; an unknown client is NOT_FOUND', async () => {
    const call = await openApp();
    const bad = await call('clients', 'create', { name: 'Acme', email: 'not an email' });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((bad as { details: { issues: { path: string[] }[] } }).details.issues[0]?.path).toEqual([
      'email',
    ]);
    expect(value(await call('clients', 'list'))).toEqual([]);
    expect(await call('clients', 'get', { ref: 'Nobody' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      await call('clients', 'update', { ref: '0190c3f2-7d3a-7000-8000-000000000000', patch: {} }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

describe('invoices over the API', () => {
  it('issues a draft, takes a partial payment, refuses an overpayment, and is paid by the rest', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    const draft = value<{ id: string; totals: { totalMinor: number }; number: string | null }>(
      await call('invoices', 'createDraft', {
        client: 'Acme',
        lines: [
          HOURS,
          {
            description: 'Hosting',
            quantityMilli: 1_000,
            unitPriceMinor: 2_000,
            discountPpm: 500_000,
          },
        ],
      }),
    );
    // 10 h × 80.00 = 800.00 + 20 % tax = 960.00; hosting 20.00 − 50 % = 10.00, no tax.
    expect(draft).toMatchObject({ number: null, totals: { totalMinor: 97_000 } });
    const issued = value<{ number: string; dueDate: string }>(
      await call('invoices', 'issue', { ref: draft.id }),
    );
    expect(issued).toMatchObject({
      issueDate: '2026-11-15',
      dueDate: '2026-12-15',
      status: 'sent',
    });
    expect(issued.number).not.toBeNull();

    value(await call('invoices', 'pay', { ref: issued.number, payment: { amountMinor: 30_000 } }));
    expect(value(await call('invoices', 'get', { ref: draft.id }))).toMatchObject({
      effectiveStatus: 'partially_paid',
      paidMinor: 30_000,
      balanceDueMinor: 67_000,
      payments: [{ amountMinor: 30_000, date: '2026-11-15' }],
    });

    const over = await call('invoices', 'pay', { ref: draft.id, payment: { amountMinor: 67_001 } });
    expect(over).toMatchObject({ ok: false, code: 'OVERPAYMENT' });
    expect(value(await call('invoices', 'get', { ref: draft.id }))).toMatchObject({
      balanceDueMinor: 67_000,
    });

    value(await call('invoices', 'pay', { ref: draft.id }));
    expect(value(await call('invoices', 'list', { status: 'paid' }))).toMatchObject([
      { id: draft.id, balanceDueMinor: 0, effectiveStatus: 'paid' },
    ]);
    expect(value(await call('invoices', 'list', { status: 'partially_paid' }))).toEqual([]);
    expect(await call('invoices', 'void', { ref: draft.id })).toMatchObject({
      ok: false,
      code: 'INVALID_STATE',
    });
  });

  it('voids an unpaid invoice and refuses fractional quantities and unknown invoices', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    const draft = value<{ id: string }>(
      await call('invoices', 'createDraft', { client: 'Acme', lines: [HOURS] }),
    );
    const bad = await call('invoices', 'updateDraft', {
      ref: draft.id,
      patch: { lines: [{ ...HOURS, quantityMilli: 1.5 }] },
    });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(value(await call('invoices', 'get', { ref: draft.id }))).toMatchObject({
      lines: [{ quantityMilli: 10_000 }],
    });
    expect(value(await call('invoices', 'void', { ref: draft.id }))).toMatchObject({
      status: 'void',
      balanceDueMinor: 0,
    });
    expect(await call('invoices', 'get', { ref: 'INV-9999' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await call('invoices', 'pay', { ref: 'INV-9999' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});

describe('quotes over the API', () => {
  it('sends, accepts and converts a quote into a draft invoice with the same lines, once', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'USD' });
    const quote = value<{ id: string; totals: { totalMinor: number } }>(
      await call('quotes', 'create', { client: 'Acme', lines: [HOURS, HOURS] }),
    );
    value(await call('quotes', 'send', { ref: quote.id }));
    expect(value(await call('quotes', 'accept', { ref: quote.id }))).toMatchObject({
      status: 'accepted',
    });
    const converted = value<{
      invoice: { id: string; status: string; currency: string; totals: { totalMinor: number } };
    }>(await call('quotes', 'convert', { ref: quote.id }));
    expect(converted.invoice).toMatchObject({ status: 'draft', currency: 'USD' });
    expect(converted.invoice.totals.totalMinor).toBe(quote.totals.totalMinor);
    expect(await call('quotes', 'convert', { ref: quote.id })).toMatchObject({
      ok: false,
      code: 'INVALID_STATE',
    });
    expect(value(await call('invoices', 'list', {}))).toHaveLength(1);
    expect(await call('quotes', 'decline', { ref: 'QUO-0404' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await call('quotes', 'list', { status: 'maybe' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });
});

describe('deposits over the API', () => {
  it('carries a quote’s deposit to its invoice and reports what is outstanding after a payment', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    // 10 h × 80.00 + 20 % = 960.00; a quarter of it is 240.00.
    const quote = value<{ id: string; depositMinor: number }>(
      await call('quotes', 'create', {
        client: 'Acme',
        lines: [HOURS],
        deposit: { percentPpm: 250_000, dueDate: '2026-11-20' },
      }),
    );
    expect(quote.depositMinor).toBe(24_000);
    const { invoice } = value<{ invoice: { id: string } }>(
      await call('quotes', 'convert', { ref: quote.id }),
    );
    value(await call('invoices', 'issue', { ref: invoice.id }));
    value(await call('invoices', 'pay', { ref: invoice.id, payment: { amountMinor: 10_000 } }));
    expect(value(await call('invoices', 'get', { ref: invoice.id }))).toMatchObject({
      depositMinor: 24_000,
      depositDueDate: '2026-11-20',
      depositOutstandingMinor: 14_000,
      balanceDueMinor: 86_000,
    });
  });

  it('names the deposit field it refuses and writes nothing', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    const tooMuch = await call('invoices', 'createDraft', {
      client: 'Acme',
      lines: [HOURS],
      deposit: { amountMinor: 96_001 },
    });
    expect(tooMuch).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    expect(
      (tooMuch as { details: { issues: { path: string[] }[] } }).details.issues[0]?.path,
    ).toEqual(['deposit', 'amountMinor']);
    const lateDue = await call('invoices', 'createDraft', {
      client: 'Acme',
      lines: [HOURS],
      dueDate: '2026-12-01',
      deposit: { amountMinor: 100, dueDate: '2026-12-02' },
    });
    expect(lateDue).toMatchObject({ ok: false, code: 'INVALID_DATE' });
    expect(value(await call('invoices', 'list', {}))).toEqual([]);
    expect(
      await call('invoices', 'updateDraft', { ref: 'INV-0404', patch: { deposit: null } }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

describe('recurring schedules over the API', () => {
  it('generates the due invoices once, and pauses and resumes', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    const schedule = value<{ id: string }>(
      await call('recurring', 'create', {
        client: 'Acme',
        frequency: 'monthly',
        startDate: '2026-10-01',
        lines: [HOURS],
      }),
    );
    const made = value<{ periodDate: string; invoice: { status: string; scheduleId: string } }[]>(
      await call('recurring', 'generateDue'),
    );
    expect(made.map((g) => g.periodDate)).toEqual(['2026-10-01', '2026-11-01']);
    expect(made.every((g) => g.invoice.scheduleId === schedule.id)).toBe(true);
    expect(value(await call('recurring', 'generateDue'))).toEqual([]);
    expect(value(await call('recurring', 'pause', { id: schedule.id }))).toMatchObject({
      active: false,
      nextDate: '2026-12-01',
    });
    expect(value(await call('recurring', 'resume', { id: schedule.id }))).toMatchObject({
      active: true,
    });
  });

  it('refuses a schedule without lines or with an unknown frequency, and unknown ids', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme', defaultCurrency: 'EUR' });
    const base = { client: 'Acme', frequency: 'monthly', startDate: '2026-10-01', lines: [HOURS] };
    expect(await call('recurring', 'create', { ...base, lines: [] })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await call('recurring', 'create', { ...base, frequency: 'hourly' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(value(await call('recurring', 'list'))).toEqual([]);
    expect(
      await call('recurring', 'pause', { id: '0190c3f2-7d3a-7000-8000-000000000000' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

describe('receipts and contracts over the API', () => {
  it('stores a receipt image and gives back the same bytes, linked to a transaction', async () => {
    const call = await openApp();
    const receipt = value<{ id: string; attachment: { mimeType: string; size: number } }>(
      await call('receipts', 'create', {
        receipt: { date: '2026-11-14', merchant: 'Café', amountMinor: 450, currency: 'EUR' },
        file: { fileName: 'coffee.png', mimeType: 'image/png', contentBase64: PNG_BASE64 },
      }),
    );
    expect(receipt.attachment).toMatchObject({ mimeType: 'image/png', size: 70 });
    expect(value(await call('receipts', 'readFile', { id: receipt.id }))).toMatchObject({
      contentBase64: PNG_BASE64,
    });
    await call('accounts', 'create', { name: 'Checking', currency: 'EUR' });
    const tx = value<{ id: string }>(
      await call('transactions', 'create', {
        accountId: 'Checking',
        date: '2026-11-14',
        amountMinor: -450,
      }),
    );
    expect(
      value(await call('receipts', 'linkTransaction', { id: receipt.id, transactionId: tx.id })),
    ).toMatchObject({ transactionId: tx.id });
    expect(
      await call('receipts', 'linkTransaction', {
        id: receipt.id,
        transactionId: '0190c3f2-7d3a-7000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it.each([
    ['a PDF sent as a PNG', 'image/png', PDF_BASE64, 'UNSUPPORTED_FILE_TYPE'],
    [
      'text sent as a PNG',
      'image/png',
      Buffer.from('<svg onload=alert(1)>').toString('base64'),
      'UNSUPPORTED_FILE_TYPE',
    ],
    ['an SVG type', 'image/svg+xml', PNG_BASE64, 'INVALID_INPUT'],
    ['text that is not base64', 'image/png', 'iVBO*w0K', 'INVALID_INPUT'],
    [
      'a file over the limit',
      'image/png',
      Buffer.alloc(MAX_ATTACHMENT_UPLOAD_BYTES + 1, 0x89).toString('base64'),
      'FILE_TOO_LARGE',
    ],
  ])('refuses %s and stores nothing', async (_what, mimeType, contentBase64, code) => {
    const call = await openApp();
    const answer = await call('receipts', 'create', {
      receipt: { date: '2026-11-14' },
      file: { fileName: 'receipt.png', mimeType, contentBase64 },
    });
    expect(answer).toMatchObject({ ok: false, code });
    expect(value(await call('receipts', 'list', {}))).toEqual([]);
  });

  it('keeps a contract PDF, signs it, and then refuses a new document', async () => {
    const call = await openApp();
    await call('clients', 'create', { name: 'Acme' });
    const file = { fileName: 'msa.pdf', mimeType: 'application/pdf', contentBase64: PDF_BASE64 };
    const contract = value<{ id: string }>(
      await call('contracts', 'create', { contract: { client: 'Acme', title: 'MSA' }, file }),
    );
    expect(value(await call('contracts', 'readFile', { id: contract.id }))).toMatchObject({
      attachment: { fileName: 'msa.pdf', mimeType: 'application/pdf' },
      contentBase64: PDF_BASE64,
    });
    expect(value(await call('contracts', 'sign', { id: contract.id }))).toMatchObject({
      status: 'signed',
      signedAt: NOW,
    });
    expect(await call('contracts', 'attachFile', { id: contract.id, file })).toMatchObject({
      ok: false,
      code: 'INVALID_STATE',
    });
    expect(
      await call('contracts', 'readFile', { id: '0190c3f2-7d3a-7000-8000-000000000000' }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
