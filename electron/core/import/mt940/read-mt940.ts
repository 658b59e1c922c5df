import { currencyExponent, isCurrencyCode } from '../../../../shared/money/currency.js';
import { formatMinor } from '../camt/camt-fields.js';
import { isoIfReal } from '../csv/date-format.js';
import { decimalToMinor } from '../decimal-amount.js';
import { descriptionKey } from '../description-key.js';
import { fieldError, importParseError } from '../parse-error.js';
import type {
  ColumnUse,
  DetectedSetting,
  ParsedStatement,
  ParsedStatementFile,
  StatementExtra,
  StatementItem,
} from '../statement.js';
import { stripBom } from '../text-decoding.js';
import { mt940Fields, type Mt940Field } from './mt940-fields.js';
import { informationForm, parseInformation } from './mt940-information.js';
import { fullYear, parseStatementLine, type Mt940StatementLine } from './mt940-statement-line.js';

export const MT940_COLUMNS: readonly ColumnUse[] = [
  { column: ':61: entry date (else value date)', field: 'date' },
  { column: ':61: amount and C/D/RC/RD mark', field: 'amount' },
  { column: ':61: bank reference (after //)', field: 'externalId' },
  { column: ':86: ?32/?33, /NAME/ or /CNTP/ name', field: 'payee' },
  { column: ':86: ?20–?29 and ?60–?63 (SVWZ), ?00, /REMI/ or free text', field: 'memo' },
  {
    column: ':61: value date, type code, customer reference, supplementary details',
    field: 'notes',
  },
  { column: ':86: every other subfield', field: 'notes' },
];

const BALANCE_NAMES: Readonly<Record<string, string>> = {
  '60F': 'opening balance',
  '60M': 'intermediate opening balance',
  '62F': 'closing balance',
  '62M': 'intermediate closing balance',
  '64': 'closing available balance',
  '65': 'forward available balance',
};
const FIELD_NAMES: Readonly<Record<string, string>> = {
  '21': 'related reference',
  '28': 'statement number',
  '28C': 'statement number',
  '13D': 'statement date and time',
  '34F': 'floor limit',
  '90D': 'debits (number and sum)',
  '90C': 'credits (number and sum)',
};
const FORM_NAMES = {
  german: 'German structured (?NN subfields)',
  dutch: 'Dutch /KEY/value',
  free: 'free text',
} as const;

interface StatementScan {
  line: number;
  offset: number;
  end: number;
  account: string | null;
  currency: string | null;
  /** Opening balance plus every row so far, to check against the closing balance. */
  running: number | null;
  closed: boolean;
}

/**
 * Reads a SWIFT MT940 customer statement file: one ParsedStatement per `:20:`. The whole
 * file is checked once (every statement line, every balance) before anything is
 * returned; each statement's rows are then read again from its part of the text
 * whenever its items are asked for. Pure: nothing is written.
 */
export function readMt940File(input: string): ParsedStatementFile {
  let text = stripBom(input);
  if (!text.includes('\n') && text.includes('\r')) text = text.replace(/\r/g, '\n');
  const settings: DetectedSetting[] = [];
  const warnings: string[] = [];
  const scans: StatementScan[] = [];
  const idCounts = new Map<string, number>();
  const forms = new Set<keyof typeof FORM_NAMES>();
  let current: StatementScan | null = null;
  let previous = '';
  for (const field of mt940Fields(text)) {
    if (field.tag === '20') {
      if (current !== null) {
        current.end = field.offset;
        requireClosing(current);
      }
      current = {
        line: field.line,
        offset: field.offset,
        end: text.length,
        account: null,
        currency: null,
        running: null,
        closed: false,
      };
      scans.push(current);
      settings.push({ name: 'statement reference', value: oneLine(field.value), source: 'file' });
      previous = field.tag;
      continue;
    }
    if (current === null) {
      throw importParseError(
        field.line,
        `:${field.tag}: comes before the first :20: (statement reference)`,
      );
    }
    const account = current.account ?? `statement on line ${current.line}`;
    switch (field.tag) {
      case '25': {
        const { id, currency } = readAccount(field.value);
        current.account = id;
        current.currency ??= currency;
        break;
      }
      case '60F':
      case '60M':
      case '62F':
      case '62M':
      case '64':
      case '65': {
        const balance = readBalance(field);
        if (field.tag.startsWith('60')) {
          current.currency = balance.currency;
          current.running = balance.minor;
        } else if (field.tag.startsWith('62')) {
          checkClosing(current, field, balance.minor, account);
        }
        const amount = formatMinor(
          balance.minor,
          balance.currency,
          currencyExponent(balance.currency),
        );
        settings.push({
          name: BALANCE_NAMES[field.tag] ?? `balance :${field.tag}:`,
          value: `${account}: ${amount} on ${balance.date}`,
          source: 'file',
        });
        break;
      }
      case '61': {
        const line = parseStatementLine(field.value, field.line, requireCurrency(current, field));
        if (current.running !== null) current.running += line.amountMinor;
        const id = usableReference(line.bankReference);
        if (id !== null) idCounts.set(id, (idCounts.get(id) ?? 0) + 1);
        break;
      }
      case '86':
        if (previous === '61') forms.add(informationForm(field.value.replace(/\n/g, '')));
        else
          settings.push({
            name: 'statement information',
            value: `${account}: ${oneLine(field.value)}`,
            source: 'file',
          });
        break;
      default:
        settings.push({
          name: FIELD_NAMES[field.tag] ?? `:${field.tag}:`,
          value: `${account}: ${oneLine(field.value)}`,
          source: 'file',
        });
    }
    previous = field.tag;
  }
  if (current !== null) requireClosing(current);
  if (scans.length === 0) {
    throw importParseError(1, 'this is not an MT940 file (no :20: field starts a statement)');
  }
  const repeated = new Set([...idCounts].filter(([, n]) => n > 1).map(([id]) => id));
  for (const id of repeated) {
    warnings.push(
      `the bank reference "${id}" is used by more than one row, so those rows are told apart by their content instead`,
    );
  }
  if (forms.size > 0) {
    settings.unshift({
      name: 'information field (:86:)',
      value: [...forms].map((f) => FORM_NAMES[f]).join(', '),
      source: 'detected',
    });
  }
  const statements = scans.map((scan): ParsedStatement => ({
    bankAccountId: scan.account,
    currency: scan.currency,
    line: scan.line,
    items: () => rowsOf(text, scan, repeated),
  }));
  return { format: 'mt940', statements, columns: MT940_COLUMNS, settings, warnings };
}

function* rowsOf(
  text: string,
  scan: StatementScan,
  repeated: ReadonlySet<string>,
): Generator<StatementItem> {
  let pending: { field: Mt940Field; line: Mt940StatementLine } | null = null;
  for (const field of mt940Fields(text, scan.offset, scan.end, scan.line)) {
    if (pending !== null) {
      yield toRow(
        pending.field,
        pending.line,
        field.tag === '86' ? field.value : null,
        scan,
        repeated,
      );
      pending = null;
    }
    if (field.tag === '61') {
      pending = {
        field,
        line: parseStatementLine(field.value, field.line, requireCurrency(scan, field)),
      };
    }
  }
  if (pending !== null) yield toRow(pending.field, pending.line, null, scan, repeated);
}

function toRow(
  field: Mt940Field,
  line: Mt940StatementLine,
  information: string | null,
  scan: StatementScan,
  repeated: ReadonlySet<string>,
): StatementItem {
  const info = information === null ? null : parseInformation(information);
  const extras: StatementExtra[] = [
    { label: 'Value date', value: line.valueDate },
    { label: 'Transaction type code', value: line.typeCode },
  ];
  const push = (label: string, value: string | null) => {
    if (value !== null) extras.push({ label, value });
  };
  push('Funds code', line.fundsCode);
  push('Customer reference', usableReference(line.customerReference));
  const id = usableReference(line.bankReference);
  const externalId = id !== null && !repeated.has(id) ? id : null;
  if (externalId === null) push('Bank reference', line.bankReference);
  if (line.mark === 'RC' || line.mark === 'RD') {
    push('Reversal', `${line.mark}: reversal of a ${line.mark === 'RC' ? 'credit' : 'debit'}`);
  }
  push('Supplementary details', line.supplementary);
  if (info !== null) extras.push(...info.extras);
  return {
    kind: 'row',
    row: {
      line: field.line,
      date: line.bookingDate,
      amountMinor: line.amountMinor,
      currency: scan.currency,
      payee: info?.payee ?? null,
      memo: info?.memo ?? null,
      category: null,
      externalId,
      extras,
      descriptionKey: descriptionKey(...(info?.texts ?? [])),
      splits: [],
    },
  };
}

/**
 * Opening balance plus the rows must give the closing balance: a statement cut short, or
 * a row read wrongly, is refused rather than imported in part.
 */
function checkClosing(
  scan: StatementScan,
  field: Mt940Field,
  closing: number,
  account: string,
): void {
  scan.closed = true;
  if (scan.running === null || scan.currency === null || scan.running === closing) {
    scan.running = closing;
    return;
  }
  const exponent = currencyExponent(scan.currency);
  throw importParseError(
    field.line,
    `${account}: the opening balance and the rows add up to ${formatMinor(scan.running, scan.currency, exponent)}, not the closing balance ${formatMinor(closing, scan.currency, exponent)}; a row may be missing or misread`,
  );
}

function requireClosing(scan: StatementScan): void {
  if (!scan.closed) {
    throw importParseError(
      scan.line,
      'the statement has no closing balance (:62F: or :62M:); the file may be truncated',
    );
  }
}

/** NONREF (and an empty reference) name no reference. */
function usableReference(ref: string | null): string | null {
  return ref === null || ref.toUpperCase() === 'NONREF' ? null : ref;
}

function requireCurrency(scan: StatementScan, field: Mt940Field): string {
  if (scan.currency === null) {
    throw importParseError(
      field.line,
      'the statement has no opening balance (:60F:) before its first :61:, so its currency is unknown',
    );
  }
  return scan.currency;
}

/** `:25:` as written, less a currency code some banks append ("NL20INGB0001234567EUR"). */
function readAccount(value: string): { id: string; currency: string | null } {
  const trimmed = value.replace(/\n/g, '').trim();
  // An account id is at most 35 characters; longer text is taken as written, unsearched.
  const m = trimmed.length > 64 ? null : /^(.*\d)\s*([A-Z]{3})$/.exec(trimmed);
  if (m !== null && isCurrencyCode(m[2])) return { id: m[1] ?? trimmed, currency: m[2] ?? null };
  return { id: trimmed, currency: null };
}

const BALANCE = /^(C|D)(\d{2})(\d{2})(\d{2})([A-Z]{3})(\d{1,15},\d{0,3})$/;

function readBalance(field: Mt940Field): { minor: number; currency: string; date: string } {
  const value = field.value.trim();
  const m = BALANCE.exec(value);
  const date = m === null ? null : isoIfReal(fullYear(Number(m[2])), Number(m[3]), Number(m[4]));
  const currency = m?.[5] ?? '';
  if (m === null || date === null || !isCurrencyCode(currency)) {
    throw importParseError(
      field.line,
      `:${field.tag}: "${value.slice(0, 40)}" is not a balance (C|D YYMMDD currency amount)`,
    );
  }
  try {
    const minor = decimalToMinor((m[6] ?? '').replace(',', '.'), currency);
    return { minor: m[1] === 'D' ? -minor : minor, currency, date };
  } catch (err) {
    throw fieldError(field.line, err, { tag: field.tag });
  }
}

function oneLine(value: string): string {
  return value
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .slice(0, 200);
}
