import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { createCoreServices, type CoreServices } from '../core-services.js';
import { sampleLogoPng } from '../testing/png-image.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';

/**
 * The PDFs are read back with poppler (pdftotext, pdfimages), as a person's viewer would
 * read them. Roboto, the font pdfmake ships, covers Latin (with Ł, ø, Å, ë …), Greek and
 * Cyrillic, so those are checked here; CJK, Hangul and Arabic text, drawn with Noto Sans, is
 * checked in invoice-pdf.unicode.test.ts.
 */
const NOW = Date.UTC(2025, 2, 20, 12);
const SENDER = 'Zoë Ångström — Łódź Studio';
const LINE_LATIN = 'Design work — Zoë Ångström, Łódź, Ærø';
const LINE_GREEK_CYRILLIC = 'Φιλοξενία / Хостинг (hosting)';
const INSTRUCTIONS = 'IBAN PL61 1090 1014 0000 0712 1981 2874 · BIC WBKPPLPP';

let temp: TempVault;
let core: CoreServices;
let scratch: string;

beforeEach(async () => {
  temp = await createTempVault({ now: () => NOW });
  core = createCoreServices(temp.vault);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-pdf-'));
});

afterEach(() => {
  temp.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function pdfText(pdf: Buffer): string {
  const file = path.join(scratch, `doc-${Date.now()}-${Math.random()}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** pdfimages -list rows: [page, num, type, width, height, color, …]. */
function pdfImages(pdf: Buffer): string[][] {
  const file = path.join(scratch, 'images.pdf');
  fs.writeFileSync(file, pdf);
  const out = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/));
}

/** Label and amount on one printed row, however many spaces the layout put between them. */
function rowPattern(label: string, amount: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escape(label)}\\s+${escape(amount)}`);
}

function setUpProfile(): void {
  core.settings.updateProfile({
    name: SENDER,
    address: 'ul. Piotrkowska 104\n90-926 Łódź\nPolska',
    email: 'zoe@studio.test',
    taxId: 'PL7251234567',
    paymentInstructions: { method: 'bank_transfer', details: INSTRUCTIONS },
  });
  core.settings.setLogo(sampleLogoPng());
}

function issuedInvoice(): string {
  core.clients.create({
    name: 'Åsa Ødegård AS',
    address: 'Storgata 1\n0155 Oslo',
    email: 'ap@odegard.test',
    defaultCurrency: 'EUR',
  });
  const draft = core.invoices.createDraft({
    client: 'Åsa Ødegård AS',
    lines: [
      {
        description: LINE_LATIN,
        quantityMilli: 12_500,
        unitPriceMinor: 9_000,
        taxRatePpm: 200_000,
      },
      {
        description: LINE_GREEK_CYRILLIC,
        quantityMilli: 1_000,
        unitPriceMinor: 20_000,
        taxRatePpm: 200_000,
        discountPpm: 100_000,
      },
    ],
    notes: 'Dziękuję — thank you!',
  });
  const issued = core.invoices.issue(draft.id, { issueDate: '2025-03-01', dueDays: 30 });
  // A deposit when the work started, then a partial payment.
  core.payments.payInvoice(issued.id, {
    amountMinor: 50_000,
    date: '2025-03-02',
    method: 'bank_transfer',
    reference: 'Deposit',
  });
  core.payments.payInvoice(issued.id, {
    amountMinor: 30_000,
    date: '2025-03-15',
    method: 'card',
    reference: 'Partial payment',
  });
  return issued.number ?? '';
}

describe('invoice PDF', () => {
  it('prints the sender, the client, every line, totals, payments, balance due and instructions', async () => {
    setUpProfile();
    const number = issuedInvoice();
    const detail = core.invoices.get(number);
    // 12.5 × €90 + 20 % = €1,350.00; (€200 − 10 %) + 20 % = €216.00.
    expect(detail).toMatchObject({ paidMinor: 80_000, balanceDueMinor: 76_600 });

    const pdf = await core.documents.invoicePdf(number, { locale: 'en-US' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);

    expect(text).toContain(SENDER);
    expect(text).toContain('90-926 Łódź');
    expect(text).toContain('Tax ID: PL7251234567');
    expect(text).toContain('Åsa Ødegård AS');
    expect(text).toContain('0155 Oslo');
    expect(text).toContain(number);
    expect(text).toContain('Mar 31, 2025'); // due
    expect(text).toContain(LINE_LATIN);
    expect(text).toContain(LINE_GREEK_CYRILLIC);
    expect(text).toMatch(/12\.5\s+€90\.00\s+20%\s+€1,125\.00/);
    expect(text).toMatch(/1\s+€200\.00\s+10%\s+20%\s+€180\.00/);
    expect(text).toMatch(rowPattern('Before discounts', '€1,325.00'));
    expect(text).toMatch(rowPattern('Discounts', '-€20.00'));
    expect(text).toMatch(rowPattern('Subtotal', '€1,305.00'));
    expect(text).toMatch(rowPattern('Tax 20% on €1,305.00', '€261.00'));
    expect(text).toMatch(rowPattern('Total', '€1,566.00'));
    expect(text).toMatch(rowPattern('Paid Mar 2, 2025 · Bank transfer · Deposit', '-€500.00'));
    expect(text).toMatch(rowPattern('Paid Mar 15, 2025 · Card · Partial payment', '-€300.00'));
    expect(text).toMatch(rowPattern('Amount paid', '€800.00'));
    expect(text).toMatch(rowPattern('Balance due', '€766.00'));
    // The invoice has no instructions of its own: the profile's default is printed.
    expect(text).toContain('How to pay');
    expect(text).toContain(INSTRUCTIONS);
    expect(text).toContain('Dziękuję — thank you!');
  });

  it('embeds the logo from the vault, and none when there is none', async () => {
    setUpProfile();
    const number = issuedInvoice();
    const images = pdfImages(await core.documents.invoicePdf(number, { locale: 'en-US' }));
    expect(images).toHaveLength(1);
    expect(images[0]?.slice(3, 6)).toEqual(['64', '32', 'rgb']);

    core.settings.removeLogo();
    expect(pdfImages(await core.documents.invoicePdf(number, { locale: 'en-US' }))).toEqual([]);
  });

  it('embeds a JPEG logo as it is', async () => {
    setUpProfile();
    const number = issuedInvoice();
    // A real JPEG made at test time: poppler renders the first PDF's page as one.
    const source = path.join(scratch, 'source.pdf');
    fs.writeFileSync(source, await core.documents.invoicePdf(number, { locale: 'en-US' }));
    execFileSync('pdftoppm', [
      '-jpeg',
      '-r',
      '20',
      '-singlefile',
      source,
      path.join(scratch, 'logo'),
    ]);
    const jpeg = fs.readFileSync(path.join(scratch, 'logo.jpg'));
    core.settings.setLogo(jpeg);
    expect(core.settings.readLogo()?.mimeType).toBe('image/jpeg');
    const images = pdfImages(await core.documents.invoicePdf(number, { locale: 'en-US' }));
    expect(images).toHaveLength(1);
    expect(images[0]?.[2]).toBe('image');
    expect(images[0]?.at(8)).toBe('jpeg'); // enc column: embedded as DCT, not re-encoded
  });

  it('formats money, quantities and dates for the locale, in the invoice currency, exactly', async () => {
    setUpProfile();
    core.settings.updatePreferences({ locale: 'de-DE' });
    const number = issuedInvoice();
    const text = pdfText(await core.documents.invoicePdf(number));
    expect(text).toMatch(/12,5\s+90,00\s€\s+20\s%\s+1\.125,00\s€/);
    expect(text).toMatch(rowPattern('Balance due', '766,00 €'));
    expect(text).toContain('31.03.2025');
  });

  it('prints the invoice’s own payment instructions over the profile’s default', async () => {
    setUpProfile();
    core.clients.create({ name: 'Client', defaultCurrency: 'JPY' });
    const draft = core.invoices.createDraft({
      client: 'Client',
      lines: [{ description: 'Consulting', quantityMilli: 3_000, unitPriceMinor: 12_345 }],
      paymentInstructions: { method: 'paypal', details: 'pay@studio.test' },
    });
    const text = pdfText(await core.documents.invoicePdf(draft.id, { locale: 'en-US' }));
    expect(text).toContain('Draft invoice');
    expect(text).toContain('PayPal');
    expect(text).toContain('pay@studio.test');
    expect(text).not.toContain(INSTRUCTIONS);
    // JPY has no minor unit: 3 × ¥12,345.
    expect(text).toMatch(rowPattern('Total', '¥37,035'));
    expect(text).toMatch(rowPattern('Balance due', '¥37,035'));
  });

  it('refuses an unknown invoice or quote, and a locale that is not one', async () => {
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (e: unknown) => (e instanceof CofferError ? e.code : 'other error'),
      );
    expect(await code(core.documents.invoicePdf('INV-9999'))).toBe('NOT_FOUND');
    expect(await code(core.documents.quotePdf('Q-9999'))).toBe('NOT_FOUND');
    const number = issuedInvoice();
    expect(await code(core.documents.invoicePdf(number, { locale: 'not a locale' }))).toBe(
      'INVALID_LOCALE',
    );
    expect(
      await code(core.documents.invoicePdf(number, { locale: 'en-US', extra: 1 } as never)),
    ).toBe('INVALID_INPUT');
  });
});

describe('quote PDF', () => {
  it('prints the quote with its lines, total and validity, and no payment block', async () => {
    setUpProfile();
    core.clients.create({ name: 'Åsa Ødegård AS', defaultCurrency: 'EUR' });
    const quote = core.quotes.create({
      client: 'Åsa Ødegård AS',
      issueDate: '2025-03-01',
      validUntil: '2025-04-01',
      lines: [{ description: LINE_LATIN, quantityMilli: 2_000, unitPriceMinor: 45_000 }],
    });
    const sent = core.quotes.send(quote.id);
    const text = pdfText(await core.documents.quotePdf(sent.number ?? '', { locale: 'en-US' }));
    expect(text).toContain('Quote');
    expect(text).toContain(sent.number ?? 'missing number');
    expect(text).toContain('Valid until');
    expect(text).toContain('Apr 1, 2025');
    expect(text).toContain(LINE_LATIN);
    expect(text).toMatch(rowPattern('Total', '€900.00'));
    expect(text).not.toContain('Balance due');
    expect(text).not.toContain('How to pay');
  });
});
