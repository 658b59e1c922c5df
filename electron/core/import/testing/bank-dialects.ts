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
];
