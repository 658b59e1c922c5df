import { descriptionKey } from '../description-key.js';
import { importParseError } from '../parse-error.js';
import type { StatementExtra, StatementRow, StatementSplit } from '../statement.js';
import { qifAmountToMinor, type QifDecimalSeparator } from './qif-amount.js';
import { qifDateToIso, type QifDateOrder } from './qif-date.js';

export interface QifReading {
  order: QifDateOrder | null;
  separator: QifDecimalSeparator;
  currency: string;
}

export interface QifCategory {
  category: string | null;
  /** The account named in "[Account]", a transfer. */
  transfer: string | null;
  /** The class after "/", e.g. "Food/Vacation". */
  className: string | null;
}

/** Reads an L or S field: "Cat:Sub", "Cat:Sub/Class", "[Savings]", "[Savings]/Class". */
export function parseQifCategory(value: string): QifCategory {
  const text = value.trim();
  let category = text;
  let className: string | null = null;
  const transfer = /^\[([^\]]*)\]/.exec(text);
  const slash = text.indexOf('/', transfer === null ? 0 : transfer[0].length);
  if (slash !== -1) {
    className = text.slice(slash + 1).trim() || null;
    category = text.slice(0, slash).trim();
  }
  if (transfer !== null) {
    return { category: null, transfer: (transfer[1] ?? '').trim(), className };
  }
  return { category: category === '' ? null : category, transfer: null, className };
}

interface PendingSplit {
  line: number;
  category: string;
  memo: string;
  amount: string | null;
  amountLine: number;
}

/**
 * One QIF transaction record (the lines up to "^") as a statement row. `lines` are the
 * file's lines and `first` the index of the record's first line. Every field a ledger
 * field does not take is kept as an extra; U is kept only when it differs from T (Quicken
 * writes both, equal, on every record).
 */
export function readQifRecord(
  lines: readonly string[],
  first: number,
  end: number,
  reading: QifReading,
): StatementRow {
  const line = first + 1;
  let date: { text: string; line: number } | null = null;
  let t: { text: string; line: number } | null = null;
  let u: { text: string; line: number } | null = null;
  let payee: string | null = null;
  let memo: string | null = null;
  let category: QifCategory | null = null;
  const address: string[] = [];
  const extras: StatementExtra[] = [];
  const splits: PendingSplit[] = [];

  for (let i = first; i < end; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const code = raw[0] ?? '';
    const value = raw.slice(1);
    const at = i + 1;
    switch (code) {
      case 'D':
        date = onlyOnce(date, code, value, at);
        break;
      case 'T':
        t = onlyOnce(t, code, value, at);
        break;
      case 'U':
        u = onlyOnce(u, code, value, at);
        break;
      case 'P':
        payee = payee === null ? value.trim() : `${payee} ${value.trim()}`;
        break;
      case 'M':
        memo = memo === null ? value.trim() : `${memo}\n${value.trim()}`;
        break;
      case 'L':
        category = parseQifCategory(value);
        break;
      case 'N':
        extras.push({ label: 'Number', value: value.trim() });
        break;
      case 'C':
        extras.push({ label: 'Cleared', value: value.trim() });
        break;
      case 'A':
        address.push(value.trim());
        break;
      case 'S':
        splits.push({ line: at, category: value, memo: '', amount: null, amountLine: at });
        break;
      case 'E':
      case '$':
      case '%': {
        const split = splits[splits.length - 1];
        if (split === undefined) {
          throw importParseError(
            at,
            `"${code}" (a split's ${code === 'E' ? 'memo' : 'amount'}) comes before any "S" split line`,
          );
        }
        if (code === 'E') split.memo = value.trim();
        else if (code === '$') {
          split.amount = value;
          split.amountLine = at;
        } else extras.push({ label: `Split ${splits.length} percent`, value: value.trim() });
        break;
      }
      default:
        extras.push({ label: `QIF ${code}`, value: value.trim() });
    }
  }

  if (date === null)
    throw importParseError(line, 'the transaction has no date (D line)', { field: 'D' });
  const amountField = t ?? u;
  if (amountField === null) {
    throw importParseError(line, 'the transaction has no amount (T or U line)', { field: 'T' });
  }
  const amountMinor = qifAmountToMinor(
    amountField.text,
    reading.separator,
    reading.currency,
    amountField.line,
    t === null ? 'U' : 'T',
  );
  if (t !== null && u !== null) {
    const uMinor = qifAmountToMinor(u.text, reading.separator, reading.currency, u.line, 'U');
    if (uMinor !== amountMinor) extras.push({ label: 'U', value: u.text.trim() });
  }
  if (category?.transfer != null) extras.push({ label: 'Transfer', value: category.transfer });
  if (category?.className != null) extras.push({ label: 'Class', value: category.className });
  if (address.length > 0) extras.push({ label: 'Address', value: address.join('\n') });

  const rowSplits: StatementSplit[] = [];
  let sum = 0;
  splits.forEach((split, index) => {
    if (split.amount === null) {
      throw importParseError(split.line, `split ${index + 1} has no amount ("$" line)`, {
        field: '$',
      });
    }
    const minor = qifAmountToMinor(
      split.amount,
      reading.separator,
      reading.currency,
      split.amountLine,
      '$',
    );
    sum += minor;
    const parsed = parseQifCategory(split.category);
    if (parsed.transfer !== null) {
      extras.push({ label: `Split ${index + 1} transfer`, value: parsed.transfer });
    }
    if (parsed.className !== null) {
      extras.push({ label: `Split ${index + 1} class`, value: parsed.className });
    }
    rowSplits.push({ category: parsed.category, amountMinor: minor, memo: split.memo });
  });
  if (splits.length > 0 && sum !== amountMinor) {
    throw importParseError(
      line,
      `the splits add up to ${sum} but the transaction amount is ${amountMinor} (in minor units of ${reading.currency})`,
      { splitsTotal: sum, amountMinor },
    );
  }

  return {
    line,
    date: qifDateToIso(date.text, reading.order, date.line),
    amountMinor,
    currency: null,
    payee: payee === '' ? null : payee,
    memo: memo === '' ? null : memo,
    category: category?.category ?? null,
    externalId: null,
    extras,
    descriptionKey: descriptionKey(payee, memo),
    splits: rowSplits,
  };
}

/**
 * A record holds one date and one amount. A second D, T or U line means the "^" ending the
 * record before it is missing: taking the later line would merge two transactions into one
 * and drop the other without a word.
 */
function onlyOnce(
  seen: { text: string; line: number } | null,
  code: string,
  text: string,
  line: number,
): { text: string; line: number } {
  if (seen !== null) {
    throw importParseError(
      line,
      `a second "${code}" line in one transaction (the first is on line ${seen.line}): is the "^" line ending the transaction before it missing?`,
      { field: code, firstLine: seen.line },
    );
  }
  return { text, line };
}
