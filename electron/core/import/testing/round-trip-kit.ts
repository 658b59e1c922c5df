/**
 * Test-only generators and checks for the import round-trip properties: realistic
 * transaction sets, a fresh account per run, and the ledger rows read back in a stable order.
 */
import fc from 'fast-check';
import type { AccountKind } from '../../../../shared/domain/ledger.schema.js';
import { AccountService } from '../../ledger/account.service.js';
import { TransactionService } from '../../ledger/transaction.service.js';
import type { Vault } from '../../vault/vault.js';
import type { DialectRow } from './bank-dialects.js';

// Words a bank description is made of: accents, commas, quotes, semicolons, apostrophes,
// none a word a bank uses for a total, balance, pending or payment line.
const PAYEE_WORDS = [
  'Café',
  'Müller',
  'Zürich',
  'Bäckerei',
  'Société',
  'Générale',
  'ACME',
  'Corp.',
  "O'Brien",
  'Smith,',
  '"Best"',
  'Tapas;',
  'Señor',
  'Ñandú',
  'Crème',
  'Brûlée',
  'Straße',
  'Kiosk',
  'Amazon',
  'Migros',
  '&',
  'Co',
] as const;
const MEMO_WORDS = [
  'Rechnung',
  'Nr.',
  '4711',
  'ref',
  'invoice',
  'März',
  'déjeuner',
  'a;b',
  '"quoted"',
  'x,',
  'card',
  'groceries',
  'Überweisung',
  'Miete',
  'São',
  'año',
  'Œuvre',
] as const;

const words = (list: readonly string[]): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...list), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Statements of 1..20 rows dated 1990–2040. Half the sets keep every day at most 12, so
 * day and month often cannot be told apart and the import's refusal is exercised.
 */
export const transactionSets: fc.Arbitrary<DialectRow[]> = fc
  .record({
    lowDays: fc.boolean(),
    sorted: fc.boolean(),
    rows: fc.array(
      fc.record({
        year: fc.integer({ min: 1990, max: 2040 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        magnitude: fc.integer({ min: 1, max: 1_000_000_000 }),
        negative: fc.boolean(),
        payee: words(PAYEE_WORDS),
        memo: words(MEMO_WORDS),
      }),
      { minLength: 1, maxLength: 20 },
    ),
  })
  .map(({ lowDays, sorted, rows }) => {
    const out = rows.map((r) => ({
      date: `${r.year}-${pad(r.month)}-${pad(lowDays ? ((r.day - 1) % 12) + 1 : r.day)}`,
      amountMinor: r.negative ? -r.magnitude : r.magnitude,
      payee: r.payee,
      memo: r.memo,
    }));
    if (sorted) out.sort((a, b) => a.date.localeCompare(b.date));
    return out;
  });

/** Every day of the set is 12 or less, so a numeric date alone cannot say day from month. */
export const everyDayFitsAMonth = (rows: readonly DialectRow[]): boolean =>
  rows.every((r) => Number(r.date.slice(8, 10)) <= 12);

let accounts = 0;

/** A new account, so each run imports into an empty ledger. */
export function freshAccount(vault: Vault, currency: string, kind: AccountKind): string {
  accounts += 1;
  return new AccountService(vault).create({ name: `Round trip ${accounts}`, currency, kind }).id;
}

export interface StoredRow {
  date: string;
  amountMinor: number;
  payee: string | null;
  notes: string;
}

const byContent = (a: StoredRow, b: StoredRow): number =>
  a.date.localeCompare(b.date) ||
  a.amountMinor - b.amountMinor ||
  (a.payee ?? '').localeCompare(b.payee ?? '') ||
  a.notes.localeCompare(b.notes);

/** The account's transactions in a stable order, as the round trip compares them. */
export function storedRows(vault: Vault, accountId: string): StoredRow[] {
  return new TransactionService(vault)
    .list({ accountId, limit: 1000 })
    .map((t) => ({ date: t.date, amountMinor: t.amountMinor, payee: t.payeeName, notes: t.notes }))
    .sort(byContent);
}

/** What the ledger must hold for a written set: the memo is the notes' first line. */
export function expectedRows(rows: readonly DialectRow[]): StoredRow[] {
  return rows
    .map((r) => ({ date: r.date, amountMinor: r.amountMinor, payee: r.payee, notes: r.memo }))
    .sort(byContent);
}

/** Notes reduced to the memo line, so columns a dialect adds (kept in notes) do not count. */
export function memoOnly(rows: readonly StoredRow[], memoLabel?: string): StoredRow[] {
  const prefix = memoLabel === undefined ? '' : `${memoLabel}: `;
  return rows.map((r) => {
    const first = r.notes.split('\n')[0] ?? '';
    return { ...r, notes: first.startsWith(prefix) ? first.slice(prefix.length) : first };
  });
}
