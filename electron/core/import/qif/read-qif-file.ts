import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { currencyExponent, isCurrencyCode } from '../../../../shared/money/currency.js';
import { importParseError } from '../parse-error.js';
import type {
  ColumnUse,
  DetectedSetting,
  ParsedStatement,
  ParsedStatementFile,
  StatementItem,
  StatementSkip,
} from '../statement.js';
import { QifAmountDetector, qifAmountToMinor, type QifDecimalSeparator } from './qif-amount.js';
import { QifDateDetector, splitQifDate, type QifDateOrder } from './qif-date.js';
import { readQifRecord, type QifReading } from './qif-record.js';

export interface ReadQifOptions {
  /** QIF has no currency: amounts are in the account's. */
  accountCurrency: string;
  flags?: { dateFormat?: QifDateOrder; decimalSeparator?: QifDecimalSeparator };
}

/** One account's transactions in a QIF file; `bankAccountId` is the !Account name. */
export interface QifStatement extends ParsedStatement {
  /** The QIF account type ("Bank", "CCard", "Cash", "Oth A", "Oth L"). */
  accountType: string;
}

export interface QifFile extends ParsedStatementFile {
  format: 'qif';
  statements: readonly QifStatement[];
}

const TRANSACTION_TYPES = new Map([
  ['bank', 'Bank'],
  ['ccard', 'CCard'],
  ['cash', 'Cash'],
  ['oth a', 'Oth A'],
  ['oth l', 'Oth L'],
]);
const LISTS = new Set(['cat', 'class', 'memorized', 'security', 'prices', 'bud', 'template']);
const INVESTMENT = new Set(['invst', 'port', 'invoice']);

// Fields of an !Account record: name, type, description, credit limit, balance date and amount.
const ACCOUNT_FIELDS = new Set(['N', 'T', 'D', 'L', '/', '$', 'B', '^']);

const COLUMNS: readonly ColumnUse[] = [
  { column: 'D', field: 'date' },
  { column: 'T', field: 'amount' },
  { column: 'U', field: 'amount' },
  { column: 'P', field: 'payee' },
  { column: 'M', field: 'memo' },
  { column: 'L', field: 'category' },
  { column: 'N', field: 'notes' },
  { column: 'C', field: 'notes' },
  { column: 'A', field: 'notes' },
  { column: 'S/E/$', field: 'splits' },
];

interface Segment {
  start: number;
  end: number;
}

interface Account {
  name: string | null;
  type: string;
  line: number;
  segments: Segment[];
}

/**
 * Reads a QIF file (Quicken Interchange Format) as Quicken and banks write it: one or
 * several accounts, each a `!Type:` section of records ended by "^". The whole file is
 * scanned first so the day/month order and the decimal separator are decided from every
 * value, not from the first rows; records are turned into rows when items() reaches them.
 */
export function readQifFile(source: string, options: ReadQifOptions): QifFile {
  const currency = options.accountCurrency.toUpperCase();
  if (!isCurrencyCode(currency)) {
    throw new CofferError(
      'UNKNOWN_CURRENCY',
      `"${options.accountCurrency}" is not a currency code`,
    );
  }
  const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const dates = new QifDateDetector();
  const amounts = new QifAmountDetector(currencyExponent(currency));
  const pairs: { t: string; u: string; line: number; uLine: number }[] = [];
  const skips: StatementSkip[] = [];
  const accounts = new Map<string, Account>();
  const order: Account[] = [];

  let section: 'none' | 'account' | 'list' | 'transactions' = 'none';
  let listName = '';
  let autoSwitch = false;
  let current: { name: string | null; type: string | null } = { name: null, type: null };
  let pendingAccount: { name: string | null; type: string | null; line: number } | null = null;
  let segment: Segment | null = null;
  let recordStart = -1;
  let recordT: { text: string; line: number } | null = null;
  let recordU: { text: string; line: number } | null = null;

  const closeSegment = (at: number) => {
    if (segment !== null) segment.end = at;
    segment = null;
  };
  const endRecord = () => {
    if (recordT !== null && recordU !== null && recordT.text.trim() !== recordU.text.trim()) {
      pairs.push({ t: recordT.text, u: recordU.text, line: recordT.line, uLine: recordU.line });
    }
    recordStart = -1;
    recordT = null;
    recordU = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('!')) {
      closeSegment(i);
      endRecord();
      const header = trimmed.slice(1).trim();
      const lower = header.toLowerCase();
      if (lower === 'option:autoswitch') {
        autoSwitch = true;
        section = 'none';
      } else if (lower === 'clear:autoswitch') {
        autoSwitch = false;
        section = 'none';
      } else if (lower === 'account') {
        section = 'account';
        pendingAccount = null;
      } else if (lower.startsWith('type:')) {
        const kind = lower.slice(5).trim();
        const type = TRANSACTION_TYPES.get(kind);
        if (type !== undefined) {
          section = 'transactions';
          const key = current.name ?? '';
          let account = accounts.get(key);
          if (account === undefined) {
            account = { name: current.name, type, line: lineNo, segments: [] };
            accounts.set(key, account);
            order.push(account);
          }
          segment = { start: i + 1, end: lines.length };
          account.segments.push(segment);
        } else if (LISTS.has(kind)) {
          section = 'list';
          listName = header.slice(5).trim();
        } else if (INVESTMENT.has(kind)) {
          throw new CofferError(
            'IMPORT_FORMAT_UNSUPPORTED',
            `line ${lineNo}: "${trimmed}" holds investment transactions, which are not supported; export a bank, cash or card account`,
            { line: lineNo },
          );
        } else {
          throw importParseError(
            lineNo,
            `"${trimmed.slice(0, 40)}" is not a QIF section Coffer knows`,
          );
        }
      } else {
        throw importParseError(lineNo, `"${trimmed.slice(0, 40)}" is not a QIF header`);
      }
      continue;
    }

    switch (section) {
      case 'none':
        throw importParseError(
          lineNo,
          'this is not a QIF file: records must follow a "!Type:" or "!Account" header',
        );
      case 'account': {
        pendingAccount ??= { name: null, type: null, line: lineNo };
        if (raw[0] === 'N') pendingAccount.name = raw.slice(1).trim();
        else if (raw[0] === 'T') pendingAccount.type = raw.slice(1).trim();
        else if (!ACCOUNT_FIELDS.has(raw[0] ?? '')) {
          // Transactions written under !Account without a !Type: header would otherwise
          // be read as account fields and lost.
          throw importParseError(
            lineNo,
            `"${trimmed.slice(0, 40)}" is not a field of an !Account record; transactions must follow a "!Type:" header`,
          );
        } else if (trimmed === '^') {
          if (autoSwitch) {
            skips.push({
              line: pendingAccount.line,
              reason: 'not-a-transaction',
              text: `account list entry "${pendingAccount.name ?? ''}"`,
            });
          }
          current = { name: pendingAccount.name, type: pendingAccount.type };
          pendingAccount = null;
        }
        break;
      }
      case 'list':
        if (recordStart === -1) recordStart = i;
        if (trimmed === '^') {
          const first = lines[recordStart] ?? '';
          skips.push({
            line: recordStart + 1,
            reason: 'not-a-transaction',
            text: `${listName} list entry "${first.slice(1).trim().slice(0, 60)}"`,
          });
          recordStart = -1;
        }
        break;
      case 'transactions': {
        if (recordStart === -1) recordStart = i;
        const code = raw[0];
        if (trimmed === '^') endRecord();
        else if (code === 'D') {
          const parts = splitQifDate(raw.slice(1));
          if (parts !== null) dates.see(parts, lineNo);
        } else if (code === 'T' || code === 'U' || code === '$') {
          amounts.see(raw.slice(1), lineNo);
          if (code === 'T') recordT = { text: raw.slice(1), line: lineNo };
          if (code === 'U') recordU = { text: raw.slice(1), line: lineNo };
        }
        break;
      }
    }
  }
  endRecord();
  if (order.length === 0) {
    throw importParseError(
      1,
      'the file holds no bank, card or cash transactions (no "!Type:Bank" section or the like)',
    );
  }

  const dateDecision = dates.decide(options.flags?.dateFormat);
  const amountDecision = amounts.decide(options.flags?.decimalSeparator);
  const reading: QifReading = {
    order: dateDecision.order,
    separator: amountDecision.separator,
    currency,
  };
  const settings: DetectedSetting[] = [
    {
      name: 'date format',
      value:
        [...(dateDecision.order === null ? [] : [dateDecision.order]), ...dates.layouts].join(
          ', ',
        ) || 'none',
      source: dateDecision.source,
      flag: '--date-format',
    },
    {
      name: 'decimal separator',
      value: amountDecision.separator,
      source: amountDecision.source,
      flag: '--decimal-separator',
    },
  ];
  if (dates.shortYearLine !== null) {
    settings.push({
      name: 'two-digit years',
      value: `00-69 read as 2000-2069, 70-99 as 1970-1999 (first on line ${dates.shortYearLine})`,
      source: 'detected',
    });
  }

  const warnings: string[] = [];
  for (const pair of pairs) {
    try {
      const t = qifAmountToMinor(pair.t, reading.separator, currency, pair.line, 'T');
      const u = qifAmountToMinor(pair.u, reading.separator, currency, pair.uLine, 'U');
      if (t !== u) {
        warnings.push(
          `line ${pair.line}: the amount T "${pair.t.trim()}" differs from U "${pair.u.trim()}" on line ${pair.uLine}; T is imported, U is kept in the notes`,
        );
      }
    } catch {
      // An unreadable amount is reported at its line when items() reaches the record.
    }
  }

  const statements = order.map((account, index): QifStatement => ({
    bankAccountId: account.name,
    accountType: account.type,
    currency: null,
    line: account.line,
    items: () => statementItems(lines, account.segments, reading, index === 0 ? skips : []),
  }));
  return { format: 'qif', statements, columns: COLUMNS, settings, warnings };
}

function* statementItems(
  lines: readonly string[],
  segments: readonly Segment[],
  reading: QifReading,
  skips: readonly StatementSkip[],
): Generator<StatementItem> {
  for (const skip of skips) yield { kind: 'skip', skip };
  for (const { start, end } of segments) {
    let first = -1;
    for (let i = start; i < end; i++) {
      const trimmed = (lines[i] ?? '').trim();
      if (trimmed === '') continue;
      if (first === -1) first = i;
      if (trimmed === '^') {
        if (first !== i) yield { kind: 'row', row: readQifRecord(lines, first, i, reading) };
        first = -1;
      }
    }
    // Quicken and some banks leave the last record without its "^".
    if (first !== -1) yield { kind: 'row', row: readQifRecord(lines, first, end, reading) };
  }
}
