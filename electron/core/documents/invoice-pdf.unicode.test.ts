import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from '../core-services.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { scriptRuns } from './script-runs.js';

/**
 * Read back with poppler as a viewer would: pdftotext for the text, pdffonts for which
 * fonts were embedded. A glyph a font lacks is drawn as .notdef and extracts as nothing (or
 * U+FFFD), so text that extracts back intact was drawn with real glyphs.
 */
const NOW = Date.UTC(2025, 2, 20, 12);
const NAMES = {
  japanese: '株式会社テスト',
  korean: '김민준',
  chinese: '张伟',
  rareKanji: '渡邉 龑',
  greek: 'Γιώργος Παπαδόπουλος',
  cyrillic: 'Дмитрий Иванов',
  arabic: 'محمد علي',
};

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

function writePdf(pdf: Buffer): string {
  const file = path.join(scratch, `doc-${fs.readdirSync(scratch).length}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}

/**
 * The text poppler extracts, without the bidi embedding marks it wraps right-to-left text in
 * and with no-break spaces as spaces (a right-to-left run is printed with no-break spaces so
 * it reaches the shaper whole).
 */
function pdfText(file: string, layout = true): string {
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
  })
    .replace(/[\u202a-\u202e]/g, '')
    .replace(/\u00a0/g, ' ');
}

/** pdffonts rows' font names without the subset prefix (ABCDEF+NotoSansSC-Regular). */
function pdfFonts(file: string): string[] {
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => (line.split(/\s+/)[0] ?? '').replace(/^[A-Z]{6}\+/, ''));
}

function issuedInvoice(client: string, deposit?: { amountMinor: number; dueDate: string }): string {
  core.clients.create({ name: client, defaultCurrency: 'EUR' });
  const draft = core.invoices.createDraft({
    client,
    lines: [{ description: `Work for ${client}`, quantityMilli: 1000, unitPriceMinor: 100_000 }],
    ...(deposit === undefined ? {} : { deposit }),
  });
  return (
    core.invoices.issue(draft.id, { issueDate: '2025-03-01', dueDate: '2025-03-31' }).number ?? ''
  );
}

/** Runs by font family (a CJK font's slices are one family), neighbours of one family joined. */
function familyRuns(text: string): { text: string; family: string }[] {
  const runs: { text: string; family: string }[] = [];
  for (const run of scriptRuns(text)) {
    const family = run.font.replace(/-\d+$/, '');
    const last = runs[runs.length - 1];
    if (last?.family === family) last.text += run.text;
    else runs.push({ text: run.text, family });
  }
  return runs;
}

describe('script runs', () => {
  it('gives CJK, Hangul and Arabic their own fonts and keeps spaces in the run they are in', () => {
    expect(familyRuns('Acme 株式会社テスト / 김민준 (محمد علي)')).toEqual([
      { text: 'Acme ', family: 'Roboto' },
      { text: '株式会社テスト ', family: 'NotoSansSC' },
      { text: '/ ', family: 'Roboto' },
      { text: '김민준 ', family: 'NotoSansKR' },
      { text: '(', family: 'Roboto' },
      { text: 'محمد علي', family: 'NotoSansArabic' },
      { text: ')', family: 'Roboto' },
    ]);
    expect(scriptRuns(`${NAMES.greek} ${NAMES.cyrillic}`)).toEqual([
      { text: `${NAMES.greek} ${NAMES.cyrillic}`, font: 'Roboto' },
    ]);
  });

  it('finds the slice of the CJK font that has each character, rare ones included', () => {
    const fonts = scriptRuns('渡邉 龑').map((run) => run.font);
    expect(fonts.every((font) => /^NotoSansSC-\d+$/.test(font))).toBe(true);
    expect(new Set(fonts).size).toBeGreaterThan(1);
  });
});

describe('Unicode text in PDFs', () => {
  it('prints Japanese, Korean, Chinese, Greek, Cyrillic and Arabic names with real glyphs', async () => {
    const numbers = Object.values(NAMES).map((name) => issuedInvoice(name));
    for (const [index, name] of Object.values(NAMES).entries()) {
      const file = writePdf(
        await core.documents.invoicePdf(numbers[index] ?? '', { locale: 'en-US' }),
      );
      const text = pdfText(file, false);
      expect(text, name).not.toContain('\uFFFD');
      expect(text).toContain(name);
      expect(text).toContain(`Work for ${name}`);
    }
  });

  it('embeds the CJK font for CJK text only, and only the fonts a document needs', async () => {
    const latin = writePdf(
      await core.documents.invoicePdf(issuedInvoice('Åsa Ødegård AS'), { locale: 'en-US' }),
    );
    expect(pdfFonts(latin).every((font) => font.startsWith('Roboto'))).toBe(true);

    const japanese = writePdf(
      await core.documents.invoicePdf(issuedInvoice(NAMES.japanese), { locale: 'en-US' }),
    );
    const fonts = pdfFonts(japanese);
    expect(fonts.some((font) => font.startsWith('NotoSansSC'))).toBe(true);
    expect(fonts.some((font) => font.startsWith('NotoSansKR'))).toBe(false);

    const korean = writePdf(
      await core.documents.invoicePdf(issuedInvoice(NAMES.korean), { locale: 'en-US' }),
    );
    expect(pdfFonts(korean).some((font) => font.startsWith('NotoSansKR'))).toBe(true);
  });
});

describe('deposit on the PDF', () => {
  it('prints the deposit and its due date, payments, the deposit outstanding and the balance due', async () => {
    const number = issuedInvoice('Acme', { amountMinor: 30_000, dueDate: '2025-03-10' });
    core.payments.payInvoice(number, {
      amountMinor: 10_000,
      date: '2025-03-05',
      method: 'bank_transfer',
      reference: 'First part',
    });
    const text = pdfText(writePdf(await core.documents.invoicePdf(number, { locale: 'en-US' })));
    expect(text).toMatch(/Deposit requested, due Mar 10, 2025\s+€300\.00/);
    expect(text).toMatch(/Paid Mar 5, 2025 · Bank transfer · First part\s+-€100\.00/);
    expect(text).toMatch(/Deposit outstanding\s+€200\.00/);
    expect(text).toMatch(/Balance due\s+€900\.00/);

    core.payments.payInvoice(number, { amountMinor: 25_000, date: '2025-03-08' });
    const after = pdfText(writePdf(await core.documents.invoicePdf(number, { locale: 'en-US' })));
    expect(after).toMatch(/Deposit requested, due Mar 10, 2025\s+€300\.00/);
    expect(after).not.toContain('Deposit outstanding');
    expect(after).toMatch(/Balance due\s+€650\.00/);
  });

  it('prints a quote’s requested deposit', async () => {
    core.clients.create({ name: 'Acme', defaultCurrency: 'EUR' });
    const quote = core.quotes.create({
      client: 'Acme',
      lines: [{ description: 'Build', quantityMilli: 1000, unitPriceMinor: 100_000 }],
      deposit: { percentPpm: 250_000 },
    });
    const text = pdfText(writePdf(await core.documents.quotePdf(quote.id, { locale: 'en-US' })));
    expect(text).toMatch(/Deposit requested\s+€250\.00/);
  });
});
