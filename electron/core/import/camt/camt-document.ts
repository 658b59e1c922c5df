import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { isCurrencyCode } from '../../../../shared/money/currency.js';
import { decimalToMinor } from '../decimal-amount.js';
import { importParseError } from '../parse-error.js';
import { XmlScanner, type XmlEvent } from './xml-scanner.js';
import { at, child, readElement, type XmlElement } from './xml-tree.js';

/** One <Stmt>: its header elements kept, its entries only counted and checked. */
export interface CamtStatementScan {
  line: number;
  /** Where the scanner stood just after <Stmt>, to read the entries again from there. */
  offset: number;
  bodyLine: number;
  /** <Stmt> with every child but the entries. */
  head: XmlElement;
  /** Entry currencies (Amt@Ccy), for a statement whose account names none. */
  entryCurrencies: Set<string>;
  /** Bank ids (AcctSvcrRef, else NtryRef) used by more than one entry: not unique, not used. */
  repeatedIds: Set<string>;
  /** Lines of entries marked as reversals (RvslInd). */
  reversalLines: number[];
  /** Booked entries added up as they will be imported; null when one cannot be read. */
  bookedTotal: number | null;
}

export interface CamtScan {
  /** e.g. "camt.053.001.02"; "camt.053" when the file names no namespace. */
  version: string;
  groupHeader: XmlElement | undefined;
  statements: CamtStatementScan[];
}

const NAMESPACE = /camt\.(\d{3})\.001\.(\d{2})/;
const OTHER_MESSAGES: Readonly<Record<string, string>> = {
  BkToCstmrAcctRpt: 'camt.052 (an intraday account report)',
  BkToCstmrDbtCdtNtfctn: 'camt.054 (a debit/credit notification)',
};
/** Bank ids that say "no id" rather than naming one. */
export const PLACEHOLDER_IDS = new Set(['NONREF', 'NOTPROVIDED', 'NOT PROVIDED', 'NONE']);

/**
 * Reads the whole document once, checking it is well-formed and a camt.053 of a version
 * this reader knows (001.02 to 001.13), and keeps only the statement headers: the
 * entries are read again, one at a time, when a statement's items are asked for.
 */
export function scanCamtDocument(text: string): CamtScan {
  const scanner = new XmlScanner(text);
  const root = nextElementStart(scanner);
  if (root === null || root.name !== 'Document') {
    throw importParseError(
      root?.line ?? scanner.line,
      'this is not an ISO 20022 CAMT.053 file (no <Document> element)',
    );
  }
  const version = readVersion(root);
  let groupHeader: XmlElement | undefined;
  const statements: CamtStatementScan[] = [];
  let message: (XmlEvent & { kind: 'open' }) | null = null;
  for (;;) {
    const event = scanner.next();
    if (event === null) throw endsEarly(scanner, root);
    if (event.kind === 'close') {
      if (message === null && event.name === 'Document') break;
      if (message !== null && event.name === message.name) {
        message = null;
        continue;
      }
      throw importParseError(event.line, `</${event.name}> has no matching <${event.name}>`);
    }
    if (event.kind === 'text') throw strayText(event);
    if (message === null) {
      if (event.name !== 'BkToCstmrStmt') {
        const other = OTHER_MESSAGES[event.name];
        if (other !== undefined) throw unsupported(event.line, `the file is ${other}`);
        readElement(scanner, event);
        continue;
      }
      if (event.selfClosing) throw noStatement(event.line);
      message = event;
      continue;
    }
    if (event.name === 'GrpHdr') groupHeader = readElement(scanner, event);
    else if (event.name === 'Stmt' && !event.selfClosing)
      statements.push(scanStatement(scanner, event));
    else readElement(scanner, event);
  }
  const trailing = nextElementStart(scanner);
  if (trailing !== null) {
    throw importParseError(trailing.line, `<${trailing.name}> after the end of <Document>`);
  }
  if (statements.length === 0) throw noStatement(root.line);
  return { version, groupHeader, statements };
}

function scanStatement(scanner: XmlScanner, open: XmlEvent & { kind: 'open' }): CamtStatementScan {
  const scan: CamtStatementScan = {
    line: open.line,
    offset: scanner.offset,
    bodyLine: scanner.line,
    head: { name: 'Stmt', line: open.line, attrs: open.attrs, text: '', children: [] },
    entryCurrencies: new Set(),
    repeatedIds: new Set(),
    reversalLines: [],
    bookedTotal: 0,
  };
  const seen = new Set<string>();
  for (;;) {
    const event = scanner.next();
    if (event === null) throw endsEarly(scanner, scan.head);
    if (event.kind === 'text') throw strayText(event);
    if (event.kind === 'close') {
      if (event.name !== 'Stmt') {
        throw importParseError(
          event.line,
          `</${event.name}> found while <Stmt> (line ${open.line}) is still open`,
        );
      }
      return scan;
    }
    const el = readElement(scanner, event, 3);
    if (el.name !== 'Ntry') {
      scan.head.children.push(el);
      continue;
    }
    const ccy = child(el, 'Amt')?.attrs.Ccy;
    if (ccy !== undefined) scan.entryCurrencies.add(ccy);
    const id = entryBankId(el);
    if (id !== null) {
      if (seen.has(id)) scan.repeatedIds.add(id);
      seen.add(id);
    }
    const reversal = isTrue(child(el, 'RvslInd')?.text);
    if (reversal) scan.reversalLines.push(el.line);
    if (scan.bookedTotal !== null) scan.bookedTotal = addBooked(scan.bookedTotal, el, reversal);
  }
}

/** `total` plus a booked entry's signed amount; null when the entry cannot be read here. */
function addBooked(total: number, entry: XmlElement, reversal: boolean): number | null {
  const status = at(entry, 'Sts/Cd')?.text ?? child(entry, 'Sts')?.text;
  if (status !== 'BOOK') return total;
  const amount = child(entry, 'Amt');
  const indicator = child(entry, 'CdtDbtInd')?.text;
  if (amount === undefined || !/^\d+(?:\.\d+)?$/.test(amount.text)) return null;
  const currency = amount.attrs.Ccy ?? '';
  if (!isCurrencyCode(currency) || (indicator !== 'CRDT' && indicator !== 'DBIT')) return null;
  try {
    const minor = decimalToMinor(amount.text, currency);
    return total + (indicator === 'CRDT' ? minor : -minor) * (reversal ? -1 : 1);
  } catch {
    return null;
  }
}

/** The bank's id of an entry: AcctSvcrRef, else NtryRef; null when neither names one. */
export function entryBankId(entry: XmlElement): string | null {
  for (const name of ['AcctSvcrRef', 'NtryRef']) {
    const value = child(entry, name)?.text ?? '';
    if (value !== '' && !PLACEHOLDER_IDS.has(value.toUpperCase())) return value;
  }
  return null;
}

export function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function readVersion(root: XmlEvent & { kind: 'open' }): string {
  for (const [name, value] of Object.entries(root.attrs)) {
    if (!name.startsWith('xmlns')) continue;
    const m = NAMESPACE.exec(value);
    if (m === null) continue;
    const [message, variant] = [m[1] ?? '', Number(m[2])];
    if (message !== '053') {
      throw unsupported(root.line, `the file is camt.${message}, not a camt.053 statement`);
    }
    if (variant < 2 || variant > 13) {
      throw unsupported(
        root.line,
        `camt.053.001.${m[2] ?? ''} is not a version this reader knows (001.02 to 001.13)`,
      );
    }
    return m[0];
  }
  return 'camt.053';
}

/** The next start tag, skipping blank text; null at the end of the file. */
function nextElementStart(scanner: XmlScanner): (XmlEvent & { kind: 'open' }) | null {
  const event = scanner.next();
  if (event === null) return null;
  if (event.kind === 'open') return event;
  if (event.kind === 'text') throw strayText(event);
  throw importParseError(event.line, `</${event.name}> has no matching <${event.name}>`);
}

function endsEarly(scanner: XmlScanner, open: { name: string; line: number }): CofferError {
  return importParseError(
    scanner.line,
    `the file ends before </${open.name}> (opened on line ${open.line}); it may be truncated`,
  );
}

function strayText(event: { value: string; line: number }): CofferError {
  return importParseError(
    event.line,
    `unexpected text "${event.value.trim().slice(0, 30)}" between elements`,
  );
}

function noStatement(line: number): CofferError {
  return importParseError(line, 'the file holds no statement (<BkToCstmrStmt>/<Stmt>)');
}

function unsupported(line: number, what: string): CofferError {
  return new CofferError(
    'IMPORT_FORMAT_UNSUPPORTED',
    `line ${line}: ${what}; export the account statement as camt.053`,
    { line },
  );
}

/** "DE89370400440532013000" from <Acct><Id><IBAN>, else <Othr><Id>. */
export function accountId(head: XmlElement): string | null {
  const id = at(head, 'Acct/Id');
  const value = child(id, 'IBAN')?.text || at(id, 'Othr/Id')?.text || '';
  return value === '' ? null : value;
}
