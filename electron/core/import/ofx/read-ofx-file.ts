import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { isCurrencyCode } from '../../../../shared/money/currency.js';
import { importParseError } from '../parse-error.js';
import type {
  ColumnUse,
  DetectedSetting,
  ParsedStatement,
  ParsedStatementFile,
  StatementItem,
} from '../statement.js';
import { checkBankStatus } from './ofx-bank-status.js';
import { decodeOfx, lineAt, type OfxSource } from './ofx-decode.js';
import { parseOfxDate } from './ofx-fields.js';
import { scanOfx } from './ofx-tokenizer.js';
import { MAPPED_TAGS, needsCurrency, readOfxTransaction } from './ofx-transaction.js';
import { OfxTreeBuilder, child, findAll, findAllOf, type OfxElement } from './ofx-tree.js';

/** A statement as OFX gives it: the contract's fields plus what identifies the account. */
export interface OfxStatement extends ParsedStatement {
  kind: 'bank' | 'creditcard';
  /** ACCTID as written. `bankAccountId` is the same value (see readOfxFile). */
  accountId: string | null;
  /** BANKID (routing / sort code) and BRANCHID of a bank account; null for cards. */
  bankId: string | null;
  branchId: string | null;
  /** ACCTTYPE: CHECKING, SAVINGS, MONEYMRKT, CREDITLINE, CD. */
  accountType: string | null;
  /** Line of <CURDEF> (or of the statement when it has none), for currency messages. */
  currencyLine: number;
}

export interface OfxFile extends ParsedStatementFile {
  format: 'ofx';
  statements: readonly OfxStatement[];
}

export interface ReadOfxOptions {
  /**
   * The currency amounts are read in when a statement has no <CURDEF>. Without it, such a
   * statement's items() throws IMPORT_NEEDS_CHOICE: the number of decimals depends on it.
   */
  accountCurrency?: string;
}

const STATEMENTS = new Set(['STMTRS', 'CCSTMTRS']);
const COLUMNS: readonly ColumnUse[] = [
  { column: '<DTPOSTED>', field: 'date' },
  { column: '<TRNAMT>', field: 'amount' },
  { column: '<NAME>', field: 'payee' },
  { column: '<PAYEE><NAME>', field: 'payee' },
  { column: '<MEMO>', field: 'memo' },
  { column: '<FITID>', field: 'externalId' },
];

/**
 * Reads every bank and credit-card statement of an OFX 1.x (SGML) or 2.x (XML) file,
 * QFX included. The markup is checked whole here (a truncated file, a bank's error reply,
 * two different transactions under one FITID fail before anything is shown); amounts and
 * dates are read when items() reaches them.
 *
 * `bankAccountId` is ACCTID alone, as banks print it on paper statements and as a user
 * would type it; BANKID and BRANCHID are on the statement (bankId, branchId) and in the
 * settings for display.
 */
export function readOfxFile(bytes: Buffer, options: ReadOfxOptions = {}): OfxFile {
  const source = decodeOfx(bytes);
  const builder = new OfxTreeBuilder();
  scanOfx(source.text, source.bodyOffset, source.bodyLine, builder);
  const root = builder.finish(lineAt(source.text, source.text.length));
  const ofx = child(root, 'OFX');
  if (ofx === undefined) throw importParseError(source.bodyLine, 'no <OFX> element');

  const warnings = checkBankStatus(ofx);
  const elements = findAllOf(ofx, STATEMENTS);
  if (elements.length === 0) {
    const investment = findAll(ofx, 'INVSTMTRS')[0];
    if (investment !== undefined) {
      throw new CofferError(
        'IMPORT_FORMAT_UNSUPPORTED',
        `line ${investment.line}: investment statements are not supported; export a bank or card statement`,
        { line: investment.line },
      );
    }
    throw importParseError(
      ofx.line,
      'the file holds no bank or credit card statement (<STMTRS> or <CCSTMTRS>)',
    );
  }
  const settings: DetectedSetting[] = [
    { name: 'OFX version', value: ofxVersion(source), source: 'file' },
    { name: 'encoding', value: source.encoding, source: 'detected' },
  ];
  const extraTags = new Set<string>();
  const statements = elements.map((el) =>
    readStatement(el, options, { warnings, settings, extraTags }),
  );
  const columns = [...COLUMNS, ...[...extraTags].map((column) => ({ column, field: 'notes' }))];
  return { format: 'ofx', statements, columns, settings, warnings };
}

interface Collect {
  warnings: string[];
  settings: DetectedSetting[];
  extraTags: Set<string>;
}

function readStatement(stmt: OfxElement, options: ReadOfxOptions, out: Collect): OfxStatement {
  const account = child(stmt, 'BANKACCTFROM') ?? child(stmt, 'CCACCTFROM');
  const accountId = (account && child(account, 'ACCTID')?.value) ?? null;
  const bankId = (account && child(account, 'BANKID')?.value) ?? null;
  const branchId = (account && child(account, 'BRANCHID')?.value) ?? null;
  const accountType = (account && child(account, 'ACCTTYPE')?.value) ?? null;
  const label = accountId === null ? `statement on line ${stmt.line}` : `account ${accountId}`;

  const curdef = child(stmt, 'CURDEF');
  const currencyLine = curdef?.line ?? stmt.line;
  let currency: string | null = null;
  if (curdef?.value == null) {
    out.warnings.push(
      `line ${currencyLine}: ${label} names no currency (<CURDEF> is ${curdef === undefined ? 'missing' : 'empty'}); the account's currency is used`,
    );
  } else {
    currency = curdef.value.toUpperCase();
    if (!isCurrencyCode(currency)) {
      throw importParseError(
        curdef.line,
        `<CURDEF> "${curdef.value}" is not an ISO 4217 currency code`,
      );
    }
  }

  const describe = [
    accountType ?? (stmt.name === 'CCSTMTRS' ? 'CREDITCARD' : null),
    bankId === null ? null : `bank ${bankId}`,
    branchId === null ? null : `branch ${branchId}`,
  ].filter((p) => p !== null);
  out.settings.push({
    name: `${label} (line ${stmt.line})`,
    value:
      describe.length === 0
        ? (currency ?? 'no currency')
        : `${describe.join(', ')}, ${currency ?? 'no currency'}`,
    source: 'file',
  });

  const list = child(stmt, 'BANKTRANLIST');
  if (list === undefined) {
    throw importParseError(
      stmt.line,
      `<${stmt.name}> has no <BANKTRANLIST>; the file may be truncated`,
    );
  }
  const period = [child(list, 'DTSTART')?.value, child(list, 'DTEND')?.value];
  if (period[0] != null || period[1] != null) {
    out.settings.push({
      name: `${label} period`,
      value: `${displayDate(period[0])} to ${displayDate(period[1])}`,
      source: 'file',
    });
  }
  for (const tag of ['LEDGERBAL', 'AVAILBAL']) {
    const bal = child(stmt, tag);
    const amount = bal && child(bal, 'BALAMT')?.value;
    if (bal === undefined || amount == null) continue;
    const asOf = child(bal, 'DTASOF')?.value;
    out.settings.push({
      name: `${label} ${tag === 'LEDGERBAL' ? 'ledger' : 'available'} balance (not imported)`,
      value: `${amount}${currency === null ? '' : ` ${currency}`}${asOf == null ? '' : ` as of ${displayDate(asOf)}`}`,
      source: 'file',
    });
  }

  const repeats = scanTransactions(list, label, out);
  const transactions = list.children.filter((c) => c.name === 'STMTTRN');
  const readCurrency = currency ?? options.accountCurrency ?? null;
  return {
    kind: stmt.name === 'CCSTMTRS' ? 'creditcard' : 'bank',
    bankAccountId: accountId,
    accountId,
    bankId,
    branchId,
    accountType,
    currency,
    currencyLine,
    line: stmt.line,
    *items(): Iterable<StatementItem> {
      for (const trn of transactions) {
        const first = repeats.get(trn);
        if (first !== undefined) {
          yield {
            kind: 'skip',
            skip: {
              line: trn.line,
              reason: 'not-a-transaction',
              text: `repeats the transaction on line ${first}`,
            },
          };
          continue;
        }
        if (readCurrency === null) throw needsCurrency(currencyLine);
        yield { kind: 'row', row: readOfxTransaction(trn, readCurrency) };
      }
    },
  };
}

/**
 * Checks FITIDs across the statement before any row is shown: a missing one is a warning
 * (the writer keys the row on its content), a repeated one is an error unless the bank
 * sent the very same transaction twice, which is kept once. Returns the repeats to skip,
 * each with the line of the transaction it repeats.
 */
function scanTransactions(list: OfxElement, label: string, out: Collect): Map<OfxElement, number> {
  const seen = new Map<string, { line: number; fitIdLine: number; signature: string }>();
  const repeats = new Map<OfxElement, number>();
  for (const trn of list.children) {
    if (trn.name !== 'STMTTRN') continue;
    const payeeInAggregate = child(trn, 'NAME') === undefined;
    for (const c of trn.children) {
      if (!MAPPED_TAGS.has(c.name))
        noteExtraTags(c, `<${c.name}>`, out.extraTags, payeeInAggregate);
    }
    const fitId = child(trn, 'FITID');
    if (fitId?.value == null) {
      out.warnings.push(
        `line ${trn.line}: a transaction of ${label} has no <FITID>; it is recognised on re-import by its date, amount and description`,
      );
      continue;
    }
    const signature = signatureOf(trn);
    const first = seen.get(fitId.value);
    if (first === undefined) {
      seen.set(fitId.value, { line: trn.line, fitIdLine: fitId.line, signature });
    } else if (first.signature === signature) {
      repeats.set(trn, first.line);
      out.warnings.push(
        `line ${trn.line}: the bank repeats the transaction on line ${first.line} (same <FITID> "${fitId.value}" and content); it is imported once`,
      );
    } else {
      throw importParseError(
        fitId.line,
        `<FITID> "${fitId.value}" is used again (first on line ${first.fitIdLine}) for a different transaction; the bank's ids must be unique`,
        { firstLine: first.fitIdLine, fitId: fitId.value },
      );
    }
  }
  return repeats;
}

function noteExtraTags(
  el: OfxElement,
  label: string,
  tags: Set<string>,
  payeeInAggregate: boolean,
): void {
  if (el.value !== null) {
    if (!(payeeInAggregate && label === PAYEE_NAME)) tags.add(label);
    return;
  }
  for (const c of el.children) noteExtraTags(c, `${label}<${c.name}>`, tags, payeeInAggregate);
}

const PAYEE_NAME = '<PAYEE><NAME>';

function signatureOf(el: OfxElement): string {
  if (el.value !== null) return `${el.name}=${el.value}`;
  return `${el.name}{${el.children.map(signatureOf).join('\u0000')}}`;
}

/** An OFX date as ISO for display, or as written when it is not one (it is not imported). */
function displayDate(value: string | null | undefined): string {
  if (value == null) return '?';
  try {
    return parseOfxDate(value, 0, 'DTASOF');
  } catch {
    return value;
  }
}

function ofxVersion(source: OfxSource): string {
  const head = source.text.slice(0, source.bodyOffset + 200);
  const xml = /<\?OFX[^>]*VERSION\s*=\s*"(\d+)"/i.exec(head);
  if (xml !== null) return `${xml[1] ?? ''} (XML)`;
  const sgml = /^\s*VERSION\s*:\s*(\d+)/im.exec(source.text.slice(0, source.bodyOffset));
  return sgml === null ? 'unknown' : `${sgml[1] ?? ''} (SGML)`;
}
