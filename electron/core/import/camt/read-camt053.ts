import { currencyExponent, isCurrencyCode } from '../../../../shared/money/currency.js';
import { importParseError } from '../parse-error.js';
import type {
  ColumnUse,
  DetectedSetting,
  ParsedStatement,
  ParsedStatementFile,
  StatementItem,
} from '../statement.js';
import { decodeCamt } from './camt-decode.js';
import { accountId, scanCamtDocument, type CamtStatementScan } from './camt-document.js';
import { entryItems } from './camt-entry.js';
import { formatMinor, readAmount, readDate, readIndicator, FieldReader } from './camt-fields.js';
import { XmlScanner } from './xml-scanner.js';
import { at, child, children, readElement, type XmlElement } from './xml-tree.js';

/** Where each CAMT element goes; the same for every file, since the schema fixes the names. */
export const CAMT_COLUMNS: readonly ColumnUse[] = [
  { column: 'Ntry/BookgDt', field: 'date' },
  { column: 'Ntry/Amt', field: 'amount' },
  { column: 'Ntry/CdtDbtInd', field: 'amount' },
  { column: 'Ntry/RvslInd', field: 'amount' },
  { column: 'Ntry/Sts', field: 'status' },
  { column: 'Ntry/AcctSvcrRef', field: 'externalId' },
  { column: 'Ntry/NtryRef', field: 'externalId' },
  { column: 'TxDtls/Amt', field: 'amount' },
  { column: 'TxDtls/RltdPties/Cdtr|Dbtr/Nm', field: 'payee' },
  { column: 'TxDtls/RltdPties/UltmtCdtr|UltmtDbtr/Nm', field: 'payee' },
  { column: 'TxDtls/RmtInf/Ustrd', field: 'memo' },
  { column: 'TxDtls/RmtInf/Strd/CdtrRefInf/Ref', field: 'memo' },
  { column: 'TxDtls/AddtlTxInf', field: 'memo' },
  { column: 'Ntry/AddtlNtryInf', field: 'memo' },
  { column: 'Ntry/ValDt', field: 'notes' },
  { column: 'BkTxCd', field: 'notes' },
  { column: 'TxDtls/RltdPties/CdtrAcct|DbtrAcct', field: 'notes' },
  { column: 'TxDtls/RltdAgts/CdtrAgt|DbtrAgt', field: 'notes' },
  { column: 'TxDtls/Refs/EndToEndId', field: 'notes' },
  { column: 'TxDtls/Refs/MndtId', field: 'notes' },
  { column: 'every other element of Ntry', field: 'notes' },
];

const BALANCE_NAMES: Readonly<Record<string, string>> = {
  OPBD: 'opening balance',
  CLBD: 'closing balance',
  PRCD: 'previous closing balance',
  CLAV: 'closing available balance',
  ITBD: 'interim balance',
  FWAV: 'forward available balance',
};

/**
 * Reads an ISO 20022 camt.053 bank-to-customer statement (versions 001.02 to 001.13):
 * one ParsedStatement per `<Stmt>`. The document is checked whole before anything is
 * returned (a truncated file fails here, not halfway through an import); each
 * statement's entries are then read again, one at a time, whenever its items are asked
 * for. Pure: nothing is written.
 */
export function readCamt053File(bytes: Buffer): ParsedStatementFile {
  const { text, encoding } = decodeCamt(bytes);
  const scan = scanCamtDocument(text);
  const settings: DetectedSetting[] = [
    { name: 'format', value: scan.version, source: 'file' },
    { name: 'encoding', value: encoding, source: 'file' },
  ];
  const warnings: string[] = [];
  const statements = scan.statements.map((s) => readStatement(text, s, settings, warnings));
  return { format: 'camt053', statements, columns: CAMT_COLUMNS, settings, warnings };
}

function readStatement(
  text: string,
  scan: CamtStatementScan,
  settings: DetectedSetting[],
  warnings: string[],
): ParsedStatement {
  const bankAccountId = accountId(scan.head);
  const account = bankAccountId ?? `statement on line ${scan.line}`;
  const currency = statementCurrency(scan, account, settings, warnings);
  settings.push(describeStatement(scan.head, account));
  const info = child(scan.head, 'AddtlStmtInf')?.text;
  if (info)
    settings.push({ name: 'statement information', value: `${account}: ${info}`, source: 'file' });
  const balances = new Map<string, number>();
  for (const el of children(scan.head, 'Bal')) {
    const balance = readBalance(el, account);
    settings.push(balance.setting);
    balances.set(balance.code, balance.minor);
  }
  const opening = balances.get('OPBD') ?? balances.get('PRCD');
  const closing = balances.get('CLBD');
  if (
    opening !== undefined &&
    closing !== undefined &&
    scan.bookedTotal !== null &&
    currency !== null
  ) {
    const reached = opening + scan.bookedTotal;
    if (reached !== closing) {
      const exponent = currencyExponent(currency);
      warnings.push(
        `${account}: the opening balance and the booked entries add up to ${formatMinor(reached, currency, exponent)}, not the closing balance ${formatMinor(closing, currency, exponent)}; check the reversals (RvslInd) and that the statement is complete`,
      );
    }
  }
  for (const id of scan.repeatedIds) {
    warnings.push(
      `${account}: the bank id "${id}" is used by more than one entry, so those entries are told apart by their content instead`,
    );
  }
  if (scan.reversalLines.length > 0) {
    warnings.push(
      `${account}: entries on lines ${scan.reversalLines.join(', ')} are reversals (RvslInd); each is imported with the sign opposite to its CdtDbtInd`,
    );
  }
  const ctx = { repeatedIds: scan.repeatedIds };
  return {
    bankAccountId,
    currency,
    line: scan.line,
    items: () => entriesOf(text, scan, ctx),
  };
}

function* entriesOf(
  text: string,
  scan: CamtStatementScan,
  ctx: { repeatedIds: ReadonlySet<string> },
): Generator<StatementItem> {
  const scanner = new XmlScanner(text, scan.offset, scan.bodyLine);
  for (;;) {
    const event = scanner.next();
    if (event === null || event.kind === 'close') return;
    if (event.kind !== 'open') continue;
    const el = readElement(scanner, event, 3);
    if (el.name === 'Ntry') yield* entryItems(el, ctx);
  }
}

/** Acct/Ccy; else the one currency all entries use, said so; else none (rows carry theirs). */
function statementCurrency(
  scan: CamtStatementScan,
  account: string,
  settings: DetectedSetting[],
  warnings: string[],
): string | null {
  const declared = at(scan.head, 'Acct/Ccy');
  if (declared !== undefined) {
    const shown = declared.text.slice(0, 10);
    if (!isCurrencyCode(declared.text)) {
      throw importParseError(declared.line, `<Ccy> "${shown}" is not an ISO 4217 currency code`);
    }
    return declared.text;
  }
  const used = [...scan.entryCurrencies];
  if (used.length === 1 && isCurrencyCode(used[0])) {
    settings.push({ name: `currency of ${account}`, value: used[0], source: 'detected' });
    return used[0];
  }
  if (used.length > 1) {
    warnings.push(
      `${account}: the account names no currency and its entries use ${used.join(', ')}; each row keeps its own`,
    );
  }
  return null;
}

/** Which statement this is, for display: its id, sequence number and period. */
function describeStatement(head: XmlElement, account: string): DetectedSetting {
  const id = child(head, 'Id')?.text;
  const sequence = child(head, 'ElctrncSeqNb')?.text || child(head, 'LglSeqNb')?.text;
  const from = at(head, 'FrToDt/FrDtTm')?.text.slice(0, 10);
  const to = at(head, 'FrToDt/ToDtTm')?.text.slice(0, 10);
  const parts = [
    id ? `id ${id}` : '',
    sequence ? `number ${sequence}` : '',
    from && to ? `${from} to ${to}` : '',
  ].filter((p) => p !== '');
  return { name: 'statement', value: `${account}: ${parts.join(', ')}`, source: 'file' };
}

/** A `<Bal>` as a setting for display: "DE89…: 1234.56 EUR on 2024-03-01". */
function readBalance(
  balance: XmlElement,
  account: string,
): { code: string; minor: number; setting: DetectedSetting } {
  const reader = new FieldReader();
  const code =
    reader.text(balance, 'Tp/CdOrPrtry/Cd') ?? reader.text(balance, 'Tp/CdOrPrtry/Prtry') ?? '';
  const amountEl = child(balance, 'Amt');
  if (amountEl === undefined) throw importParseError(balance.line, '<Bal> has no <Amt>');
  const { minor, currency } = readAmount(amountEl);
  const sign = readIndicator(reader, balance) ?? 1;
  const date = readDate(reader, balance, 'Dt');
  const amount = formatMinor(sign * minor, currency, currencyExponent(currency));
  return {
    code,
    minor: sign * minor,
    setting: {
      name: BALANCE_NAMES[code] ?? `balance ${code}`,
      value: `${account}: ${amount}${date === null ? '' : ` on ${date}`}`,
      source: 'file',
    },
  };
}
