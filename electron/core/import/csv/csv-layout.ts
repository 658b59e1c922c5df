import { createHash } from 'node:crypto';
import { importParseError } from '../parse-error.js';
import { readAmountCell } from './amount-cell.js';
import {
  resolveMapping,
  type CsvField,
  type CsvMapping,
  type ResolvedMapping,
} from './csv-mapping.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { looksLikeDate } from './date-format.js';
import { readHeader, type HeaderRole } from './header-names.js';

/** Where the table starts and which column holds what. */
export interface CsvLayout {
  /** 1-based line of the header row; null for a headerless file. */
  headerLine: number | null;
  /** Lines above the header (or first row) that are not part of the table. */
  skipLines: number;
  /** Header cells as written, trimmed; null without a header. */
  header: readonly string[] | null;
  mapping: ResolvedMapping;
  /** Per column: what its header (or content, headerless) says it is. */
  roles: readonly (HeaderRole | null)[];
  /** Currency named by a unit suffix of the amount header ("Betrag (EUR)"). */
  headerCurrency: string | null;
  signature: string;
}

/** How many rows the layout is decided from; the table must start within them. */
export const LAYOUT_SAMPLE = 200;
const HEADER_SEARCH = 40;

interface LayoutOptions {
  header?: boolean;
  skipLines?: number;
  mapping?: CsvMapping;
  /**
   * The account's currency: of several amount columns named by currency ("CAD$" and
   * "USD$"), the one in it is the amount.
   */
  currency?: string;
}

/**
 * Finds the header as the first row (after `skipLines`) that maps a date and an amount,
 * so preamble lines (account name, period, IBAN) above it are passed over. Without one,
 * maps the columns by content: a column of dates, a column of amounts (or a debit/credit
 * pair that is never both filled), the longest text column as payee.
 */
export function findLayout(sample: readonly CsvRecord[], options: LayoutOptions): CsvLayout {
  const after = sample.filter((r) => r.line > (options.skipLines ?? 0));
  if (options.header !== false) {
    for (const record of after.slice(0, HEADER_SEARCH)) {
      const layout = headerLayout(record, options.mapping, options.currency);
      if (layout !== null) return layout;
    }
    if (options.header === true || hasNamedRef(options.mapping)) {
      const first = after[0];
      if (options.mapping !== undefined && first !== undefined) {
        resolveMapping(options.mapping, trimmed(first.cells), first.line);
      }
      throw importParseError(
        first?.line ?? 1,
        'no header row names a date and an amount column; map the columns with --map, or pass --no-header',
      );
    }
  }
  return contentLayout(after, options);
}

function hasNamedRef(mapping: CsvMapping | undefined): boolean {
  return mapping !== undefined && Object.values(mapping).some((ref) => typeof ref === 'string');
}

function trimmed(cells: readonly string[]): string[] {
  return cells.map((c) => c.trim());
}

function headerLayout(
  record: CsvRecord,
  given: CsvMapping | undefined,
  currency: string | undefined,
): CsvLayout | null {
  const header = trimmed(record.cells);
  const meanings = header.map(readHeader);
  let mapping: ResolvedMapping;
  if (given !== undefined) {
    if (!hasNamedRef(given)) {
      // Positions only: this row is the header when its date cell is not a date.
      const dateCell = header[Number(given.date) - 1];
      if (dateCell === undefined || looksLikeDate(dateCell)) return null;
    } else if (!namesPresent(given, header)) return null;
    mapping = resolveMapping(given, header, record.line);
  } else {
    mapping = guessFromHeader(
      meanings.map((m) => m.role),
      meanings.map((m) => m.rank),
      header,
    );
    // The best amount column names another currency than the account's: one that names the
    // account's is the amount instead (RBC's "CAD$" and "USD$").
    const chosen = mapping.amount === undefined ? null : meanings[mapping.amount.index];
    if (chosen?.currency != null && currency !== undefined && chosen.currency !== currency) {
      const inCurrency = meanings.findIndex((m) => m.role === 'amount' && m.currency === currency);
      if (inCurrency !== -1) mapping.amount = { index: inCurrency, name: header[inCurrency] ?? '' };
    }
    const hasAmount = mapping.amount ?? mapping.debit ?? mapping.credit;
    if (mapping.date === undefined || hasAmount === undefined) return null;
  }
  const amountColumn = mapping.amount ?? mapping.debit ?? mapping.credit;
  return {
    headerLine: record.line,
    skipLines: record.line - 1,
    header,
    mapping,
    roles: meanings.map((m) => m.role),
    headerCurrency:
      amountColumn === undefined ? null : (meanings[amountColumn.index]?.currency ?? null),
    signature: hash(`header\u0000${meanings.map((m) => m.key).join('\u001f')}`),
  };
}

function namesPresent(mapping: CsvMapping, header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.toLowerCase()));
  return Object.values(mapping).every(
    (ref) => typeof ref !== 'string' || names.has(ref.trim().toLowerCase()),
  );
}

const GUESSED: readonly [CsvField, HeaderRole][] = [
  ['date', 'date'],
  ['amount', 'amount'],
  ['debit', 'debit'],
  ['credit', 'credit'],
  ['indicator', 'indicator'],
  ['payee', 'payee'],
  ['memo', 'memo'],
  ['category', 'category'],
  ['id', 'id'],
  ['currency', 'currency'],
  ['status', 'status'],
];

function guessFromHeader(
  roles: readonly (HeaderRole | null)[],
  ranks: readonly number[],
  header: readonly string[],
): ResolvedMapping {
  const best = (role: HeaderRole): number | undefined => {
    let found: number | undefined;
    roles.forEach((r, i) => {
      if (r === role && (found === undefined || (ranks[i] ?? 0) < (ranks[found] ?? 0))) found = i;
    });
    return found;
  };
  const mapping: ResolvedMapping = {};
  for (const [field, role] of GUESSED) {
    const index = best(role);
    if (index !== undefined) mapping[field] = { index, name: header[index] ?? '' };
  }
  if (mapping.date === undefined) {
    const index = best('valueDate');
    if (index !== undefined) mapping.date = { index, name: header[index] ?? '' };
  }
  if (mapping.amount !== undefined) {
    delete mapping.debit;
    delete mapping.credit;
  } else delete mapping.indicator;
  if (mapping.memo === undefined && mapping.payee !== undefined) {
    // "Payee" and "Description" both present: the second describes, so it is the memo.
    const payee = mapping.payee.index;
    let second: number | undefined;
    roles.forEach((r, i) => {
      if (
        r === 'payee' &&
        i !== payee &&
        (second === undefined || (ranks[i] ?? 0) < (ranks[second] ?? 0))
      )
        second = i;
    });
    if (second !== undefined) mapping.memo = { index: second, name: header[second] ?? '' };
  }
  if (mapping.payee === undefined && mapping.memo !== undefined) {
    mapping.payee = mapping.memo;
    delete mapping.memo;
  }
  return mapping;
}

interface ColumnStats {
  filled: number;
  dates: number;
  amounts: number;
  textLength: number;
}

function contentLayout(records: readonly CsvRecord[], options: LayoutOptions): CsvLayout {
  const width = modalWidth(records);
  const stats: ColumnStats[] = Array.from({ length: width }, () => ({
    filled: 0,
    dates: 0,
    amounts: 0,
    textLength: 0,
  }));
  const rows = records.filter((r) => r.cells.length === width);
  const both = new Array<number>(width * width).fill(0);
  for (const record of rows) {
    record.cells.forEach((raw, i) => {
      const cell = raw.trim();
      const s = stats[i];
      if (s === undefined || cell === '') return;
      s.filled++;
      s.textLength += cell.length;
      if (looksLikeDate(cell)) s.dates++;
      else if (readAmountCell(cell) !== null) s.amounts++;
    });
    for (let a = 0; a < width; a++) {
      for (let b = a + 1; b < width; b++) {
        if ((record.cells[a] ?? '').trim() !== '' && (record.cells[b] ?? '').trim() !== '') {
          both[a * width + b] = (both[a * width + b] ?? 0) + 1;
        }
      }
    }
  }
  const n = rows.length;
  const kinds = stats.map((s): HeaderRole | null => {
    if (s.filled > 0 && s.dates >= 0.8 * s.filled) return 'date';
    if (s.filled > 0 && s.amounts >= 0.8 * s.filled) return 'amount';
    return null;
  });
  const first = rows[0];
  let mapping: ResolvedMapping;
  if (options.mapping !== undefined) {
    mapping = resolveMapping(options.mapping, null, first?.line ?? 1);
  } else {
    mapping = {};
    const name = (index: number) => ({ index, name: `column ${index + 1}` });
    const dateIndex = kinds.findIndex((k, i) => k === 'date' && (stats[i]?.filled ?? 0) >= 0.8 * n);
    const amountIndexes = kinds.flatMap((k, i) => (k === 'amount' ? [i] : []));
    const [a1, a2] = amountIndexes;
    if (dateIndex !== -1) mapping.date = name(dateIndex);
    if (a1 !== undefined && (stats[a1]?.filled ?? 0) >= 0.9 * n) mapping.amount = name(a1);
    else if (
      a1 !== undefined &&
      a2 !== undefined &&
      both[a1 * width + a2] === 0 &&
      (stats[a1]?.filled ?? 0) + (stats[a2]?.filled ?? 0) >= 0.9 * n
    ) {
      mapping.debit = name(a1);
      mapping.credit = name(a2);
    }
    let payee = -1;
    stats.forEach((s, i) => {
      if (kinds[i] !== null || s.filled === 0) return;
      const best = stats[payee];
      if (best === undefined || s.textLength / s.filled > best.textLength / best.filled) payee = i;
    });
    if (payee !== -1) mapping.payee = name(payee);
    if (mapping.date === undefined || (mapping.amount ?? mapping.debit) === undefined) {
      throw importParseError(
        first?.line ?? 1,
        'the file has no header row naming its columns, and no column of dates and of amounts was found; map the columns with --map',
      );
    }
  }
  const roles = kinds.map((kind, i) =>
    Object.values(mapping).some((c) => c.index === i) ? kind : kind === 'amount' ? 'balance' : kind,
  );
  return {
    headerLine: null,
    skipLines: options.skipLines ?? 0,
    header: null,
    mapping,
    roles,
    headerCurrency: null,
    signature: hash(`headerless\u0000${width}\u0000${kinds.map((k) => k ?? 'text').join(',')}`),
  };
}

function modalWidth(records: readonly CsvRecord[]): number {
  const tally = new Map<number, number>();
  for (const r of records) tally.set(r.cells.length, (tally.get(r.cells.length) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [width, count] of tally) {
    if (count > bestCount || (count === bestCount && width > best)) {
      best = width;
      bestCount = count;
    }
  }
  return best;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
