/**
 * Test-side writers of the statement layouts banks export, for round-trip properties: a
 * set of transactions written in a dialect and imported back must give the same
 * transactions. Each writer follows one real family of exports (header wording, date and
 * number style, sign convention, delimiter, quoting).
 */
import type { AccountKind } from '../../../../shared/domain/ledger.schema.js';
import type { CsvDateFormat } from '../csv/date-format.js';

export interface DialectRow {
  date: string;
  amountMinor: number;
  payee: string;
  memo: string;
}

export interface BankDialect {
  name: string;
  currency: string;
  accountKind: AccountKind;
  /** The date format the dialect writes, the flag that settles an ambiguous file. */
  dateFormat: CsvDateFormat;
  /** The memo column's header when the reader keeps it as an extra ("Label: memo" in notes). */
  memoLabel?: string;
  /** Rows the export always carries besides the set (a card statement's payment). */
  extraRows?: readonly DialectRow[];
  /** The file has no memo column: the memo is not part of the round trip. */
  noMemo?: true;
  write(rows: readonly DialectRow[]): string | Buffer;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function parts(iso: string): { y: string; m: string; d: string } {
  return { y: iso.slice(0, 4), m: iso.slice(5, 7), d: iso.slice(8, 10) };
}

/** Minor units (exponent 2) as a decimal with `point` and optional `group` every 3 digits. */
function decimal(minor: number, point: string, group = ''): string {
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${whole}${point}${pad(abs % 100)}`;
}

const quote = (text: string, delimiter: string): string =>
  /["\n\r]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;

function lines(header: string, body: string[], eol = '\r\n'): string {
  return [header, ...body].join(eol) + eol;
}

export const BANK_DIALECTS: readonly BankDialect[] = [
  {
    name: 'US checking (MM/DD/YYYY, signed, grouped)',
    currency: 'USD',
    accountKind: 'checking',
    dateFormat: 'MM/DD/YYYY',
    write: (rows) =>
      lines(
        'Posting Date,Description,Amount,Memo',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = `${r.amountMinor < 0 ? '-' : ''}${decimal(r.amountMinor, '.', ',')}`;
          return [
            `${m}/${d}/${y}`,
            quote(r.payee, ','),
            quote(amount, ','),
            quote(r.memo, ','),
          ].join(',');
        }),
      ),
  },
  {
    name: 'German giro (DD.MM.YYYY, ";", decimal comma, Auftraggeber/Empfänger)',
    currency: 'EUR',
    accountKind: 'checking',
    dateFormat: 'DD.MM.YYYY',
    write: (rows) =>
      lines(
        'Buchungstag;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = `${r.amountMinor < 0 ? '-' : ''}${decimal(r.amountMinor, ',', '.')}`;
          return [`${d}.${m}.${y}`, quote(r.payee, ';'), quote(r.memo, ';'), amount, 'EUR'].join(
            ';',
          );
        }),
      ),
  },
  {
    name: 'French (Débit/Crédit columns, DD/MM/YYYY, decimal comma)',
    currency: 'EUR',
    accountKind: 'checking',
    dateFormat: 'DD/MM/YYYY',
    memoLabel: 'Détail',
    write: (rows) =>
      lines(
        'Date opération;Libellé;Détail;Débit;Crédit',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = decimal(r.amountMinor, ',', ' ');
          const [debit, credit] = r.amountMinor < 0 ? [`-${amount}`, ''] : ['', amount];
          return [`${d}/${m}/${y}`, quote(r.payee, ';'), quote(r.memo, ';'), debit, credit].join(
            ';',
          );
        }),
      ),
  },
  {
    name: 'UK current account (Paid out / Paid in, DD/MM/YYYY)',
    currency: 'GBP',
    accountKind: 'checking',
    dateFormat: 'DD/MM/YYYY',
    memoLabel: 'Reference',
    write: (rows) =>
      lines(
        'Date,Description,Reference,Paid out,Paid in',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = decimal(r.amountMinor, '.');
          const [out, inn] = r.amountMinor < 0 ? [amount, ''] : ['', amount];
          return [`${d}/${m}/${y}`, quote(r.payee, ','), quote(r.memo, ','), out, inn].join(',');
        }),
      ),
  },
  {
    name: 'Dutch (Af Bij indicator, YYYYMMDD, decimal comma)',
    currency: 'EUR',
    accountKind: 'checking',
    dateFormat: 'YYYYMMDD',
    write: (rows) =>
      lines(
        '"Datum","Naam / Omschrijving","Af Bij","Bedrag (EUR)","Mededelingen"',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          return [
            `"${y}${m}${d}"`,
            `"${r.payee.replace(/"/g, '""')}"`,
            r.amountMinor < 0 ? '"Af"' : '"Bij"',
            `"${decimal(r.amountMinor, ',')}"`,
            `"${r.memo.replace(/"/g, '""')}"`,
          ].join(',');
        }),
      ),
  },
  {
    name: 'Swiss (CHF with apostrophe grouping, DD.MM.YYYY)',
    currency: 'CHF',
    accountKind: 'checking',
    dateFormat: 'DD.MM.YYYY',
    memoLabel: 'Mitteilung',
    write: (rows) =>
      lines(
        'Datum;Buchungstext;Mitteilung;Betrag CHF',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = `${r.amountMinor < 0 ? '-' : ''}${decimal(r.amountMinor, '.', "'")}`;
          return [`${d}.${m}.${y}`, quote(r.payee, ';'), quote(r.memo, ';'), amount].join(';');
        }),
      ),
  },
  {
    name: 'ISO dates, currency symbol, parentheses for negatives',
    currency: 'USD',
    accountKind: 'checking',
    dateFormat: 'YYYY-MM-DD',
    write: (rows) =>
      lines(
        'Date,Payee,Notes,Amount',
        rows.map((r) => {
          const amount = `$${decimal(r.amountMinor, '.', ',')}`;
          return [
            r.date,
            quote(r.payee, ','),
            quote(r.memo, ','),
            quote(r.amountMinor < 0 ? `(${amount})` : amount, ','),
          ].join(',');
        }),
        '\n',
      ),
  },
  {
    name: 'US card (purchases positive, payments negative)',
    currency: 'USD',
    accountKind: 'credit_card',
    dateFormat: 'MM/DD/YYYY',
    memoLabel: 'Extended Details',
    // A card statement carries the month's payment; it shows which way the file counts.
    extraRows: [
      { date: '2040-12-01', amountMinor: 50_000, payee: 'ONLINE PAYMENT - THANK YOU', memo: 'Web' },
    ],
    write: (rows) =>
      lines(
        'Date,Description,Amount,Extended Details',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = `${r.amountMinor > 0 ? '-' : ''}${decimal(r.amountMinor, '.')}`;
          return [`${m}/${d}/${y}`, quote(r.payee, ','), amount, quote(r.memo, ',')].join(',');
        }),
      ),
  },
  {
    name: 'Indicator column "DR/CR", unsigned amounts',
    currency: 'SGD',
    accountKind: 'checking',
    dateFormat: 'DD/MM/YYYY',
    memoLabel: 'Reference',
    write: (rows) =>
      lines(
        'Transaction Date,Description,Reference,Amount,DR/CR',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          return [
            `${d}/${m}/${y}`,
            quote(r.payee, ','),
            quote(r.memo, ','),
            decimal(r.amountMinor, '.'),
            r.amountMinor < 0 ? 'DR' : 'CR',
          ].join(',');
        }),
      ),
  },
  {
    name: 'Headerless (date, signed amount, description), the CommBank layout less its balance',
    currency: 'AUD',
    accountKind: 'checking',
    dateFormat: 'DD/MM/YYYY',
    noMemo: true,
    write: (rows) =>
      lines(
        '',
        rows.map((r) => {
          const { y, m, d } = parts(r.date);
          const amount = `${r.amountMinor < 0 ? '-' : '+'}${decimal(r.amountMinor, '.')}`;
          return [`"${d}/${m}/${y}"`, `"${amount}"`, `"${r.payee.replace(/"/g, '""')}"`].join(',');
        }),
      ).slice(2),
  },
  {
    name: 'Sparkasse in windows-1252 (";", DD.MM.YYYY, decimal comma)',
    currency: 'EUR',
    accountKind: 'checking',
    dateFormat: 'DD.MM.YYYY',
    write: (rows) =>
      windows1252(
        lines(
          '"Buchungstag";"Beguenstigter/Zahlungspflichtiger";"Verwendungszweck";"Betrag";"Waehrung"',
          rows.map((r) => {
            const { y, m, d } = parts(r.date);
            const amount = `${r.amountMinor < 0 ? '-' : ''}${decimal(r.amountMinor, ',')}`;
            const cell = (t: string): string => `"${t.replace(/"/g, '""')}"`;
            return [`"${d}.${m}.${y}"`, cell(r.payee), cell(r.memo), `"${amount}"`, '"EUR"'].join(
              ';',
            );
          }),
        ),
      ),
  },
];

// The windows-1252 characters outside Latin-1 that the test words use.
const CP1252: Readonly<Record<string, number>> = { '€': 0x80, Œ: 0x8c, œ: 0x9c, Š: 0x8a };

/** Encodes text as windows-1252; every character must have a code there. */
function windows1252(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = CP1252[ch] ?? ch.codePointAt(0) ?? 0;
    if (code > 0xff) throw new Error(`${ch} has no windows-1252 code`);
    bytes.push(code);
  }
  return Buffer.from(bytes);
}
