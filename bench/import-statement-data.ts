/**
 * The import row's statement: a US-bank style CSV ("Posting Date,Description,Amount,Type,
 * Balance") written row by row from a seed, and the same rows as the transaction inputs a
 * direct insert would take. Both sides carry the same dates, amounts, payees and notes.
 */
import * as fs from 'node:fs';
import type { TransactionCreateInput } from '../shared/domain/ledger.schema.js';

const MERCHANTS = [
  'AMAZON MKTPLACE PMTS',
  'STARBUCKS STORE 1234',
  'SHELL OIL 5744',
  'WHOLE FOODS MARKET',
  'UBER *TRIP',
  'ADOBE *CREATIVE CLOUD',
  'CLIENT PAYMENT ACME LLC',
  'GITHUB INC',
  'COMCAST CABLE',
  'TRADER JOE S #552',
] as const;

const OPENING_BALANCE = 1_000_000_00;

export interface StatementRowData {
  date: string;
  description: string;
  amountMinor: number;
}

/** Row `i` of the statement: dates advance through 2015–2026 so the file is in date order. */
export function statementRow(i: number): StatementRowData {
  const day = Math.floor(i / 25);
  const date = new Date(Date.UTC(2015, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  const merchant = MERCHANTS[i % MERCHANTS.length] as string;
  const income = i % MERCHANTS.length === 6;
  const cents = ((i * 7919) % 25_000) + 99;
  return {
    date,
    description: `${merchant} ${String(i % 97).padStart(2, '0')}`,
    amountMinor: income ? cents * 40 : -cents,
  };
}

function money(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function usDate(iso: string): string {
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

/** Writes `count` rows to `file` in 1,000-row pieces. */
export function writeStatementCsv(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n');
    let balance = OPENING_BALANCE;
    let piece = '';
    for (let i = 0; i < count; i++) {
      const row = statementRow(i);
      balance += row.amountMinor;
      const details = row.amountMinor < 0 ? 'DEBIT' : 'CREDIT';
      const type = row.amountMinor < 0 ? 'DEBIT_CARD' : 'ACH_CREDIT';
      piece += `${details},${usDate(row.date)},"${row.description}",${money(row.amountMinor)},${type},${money(balance)},\n`;
      if (i % 1000 === 999) {
        fs.writeSync(fd, piece);
        piece = '';
      }
    }
    fs.writeSync(fd, piece);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The same rows as direct transaction inputs, stored as the import stores them (payee, and
 * the columns no field took kept in the notes) but without import keys: the difference
 * between the two sides is reading the file and the duplicate check.
 */
export function directInputs(accountId: string, count: number): TransactionCreateInput[] {
  const inputs: TransactionCreateInput[] = [];
  let balance = OPENING_BALANCE;
  for (let i = 0; i < count; i++) {
    const row = statementRow(i);
    balance += row.amountMinor;
    const debit = row.amountMinor < 0;
    inputs.push({
      accountId,
      date: row.date,
      amountMinor: row.amountMinor,
      payeeName: row.description,
      notes: `Details: ${debit ? 'DEBIT' : 'CREDIT'}\nType: ${debit ? 'DEBIT_CARD' : 'ACH_CREDIT'}\nBalance: ${money(balance)}`,
    });
  }
  return inputs;
}
