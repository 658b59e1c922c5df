import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { isCurrencyCode } from '../../../../shared/money/currency.js';
import { decimalToMinor } from '../decimal-amount.js';
import { fieldError, importParseError } from '../parse-error.js';
import { descriptionKey } from '../description-key.js';
import type { StatementRow } from '../statement.js';
import { decodeOfx, lineAt } from './ofx-decode.js';
import { normalizeOfxAmount, parseOfxDate } from './ofx-fields.js';
import { tokenizeOfx } from './ofx-tokenizer.js';
import { buildOfxTree, child, findAll, type OfxElement } from './ofx-tree.js';

export interface OfxStatement {
  /** CURDEF of the statement. */
  currency: string;
  /** Line of <CURDEF>, for a currency error. */
  currencyLine: number;
  /** The bank's account number (ACCTID), for display. */
  bankAccountId: string | null;
  rows: StatementRow[];
}

/**
 * Reads one bank or credit-card statement from an OFX 1.x (SGML) or 2.x (XML) file, or
 * throws IMPORT_PARSE_ERROR naming a line. Pure: nothing is written here.
 */
export function parseOfxStatement(bytes: Buffer): OfxStatement {
  const source = decodeOfx(bytes);
  const tokens = tokenizeOfx(source.text.slice(source.bodyOffset), source.bodyLine);
  const root = buildOfxTree(tokens, lineAt(source.text, source.text.length));
  const ofx = child(root, 'OFX');
  if (ofx === undefined) throw importParseError(source.bodyLine, 'no <OFX> element');

  const statements = [...findAll(ofx, 'STMTRS'), ...findAll(ofx, 'CCSTMTRS')];
  if (statements.length === 0) {
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
  if (statements.length > 1) {
    throw new CofferError(
      'IMPORT_FORMAT_UNSUPPORTED',
      `the file holds ${statements.length} account statements (lines ${statements.map((s) => s.line).join(', ')}); export one account per file`,
      { lines: statements.map((s) => s.line) },
    );
  }
  return readStatement(statements[0] as OfxElement);
}

function readStatement(stmt: OfxElement): OfxStatement {
  const curdef = required(stmt, 'CURDEF');
  const currency = curdef.value.toUpperCase();
  if (!isCurrencyCode(currency)) {
    throw importParseError(
      curdef.line,
      `<CURDEF> "${curdef.value}" is not an ISO 4217 currency code`,
    );
  }
  const account = child(stmt, 'BANKACCTFROM') ?? child(stmt, 'CCACCTFROM');
  const bankAccountId = (account && child(account, 'ACCTID')?.value) ?? null;
  const list = child(stmt, 'BANKTRANLIST');
  if (list === undefined) {
    throw importParseError(
      stmt.line,
      `<${stmt.name}> has no <BANKTRANLIST>; the file may be truncated`,
    );
  }
  const fitIds = new Map<string, number>();
  const rows = list.children
    .filter((c) => c.name === 'STMTTRN')
    .map((trn) => readTransaction(trn, currency, fitIds));
  return { currency, currencyLine: curdef.line, bankAccountId, rows };
}

function readTransaction(
  trn: OfxElement,
  currency: string,
  fitIds: Map<string, number>,
): StatementRow {
  required(trn, 'TRNTYPE');
  const posted = required(trn, 'DTPOSTED');
  const amount = required(trn, 'TRNAMT');
  const fitId = required(trn, 'FITID');

  const foreign = child(trn, 'CURRENCY');
  const symbol = foreign === undefined ? undefined : child(foreign, 'CURSYM')?.value?.toUpperCase();
  if (symbol !== undefined && symbol !== currency) {
    throw new CofferError(
      'CURRENCY_MISMATCH',
      `line ${foreign?.line ?? trn.line}: this transaction is in ${symbol}, not the statement currency ${currency}`,
      { line: foreign?.line ?? trn.line, currency: symbol, expected: currency },
    );
  }

  const normalized = normalizeOfxAmount(amount.value);
  if (normalized === null)
    throw importParseError(amount.line, `<TRNAMT> "${amount.value.slice(0, 40)}" is not an amount`);
  let amountMinor: number;
  try {
    amountMinor = decimalToMinor(normalized, currency);
  } catch (err) {
    throw fieldError(amount.line, err, { tag: 'TRNAMT' });
  }

  const first = fitIds.get(fitId.value);
  if (first !== undefined) {
    throw importParseError(
      fitId.line,
      `<FITID> "${fitId.value}" is used again (first on line ${first}); the bank's ids must be unique`,
    );
  }
  fitIds.set(fitId.value, fitId.line);

  const payeeAggregate = child(trn, 'PAYEE');
  const name =
    child(trn, 'NAME')?.value ?? (payeeAggregate && child(payeeAggregate, 'NAME')?.value) ?? null;
  const memo = child(trn, 'MEMO')?.value || null;
  return {
    line: trn.line,
    date: parseOfxDate(posted.value, posted.line, 'DTPOSTED'),
    amountMinor,
    currency: null,
    payee: name || null,
    memo,
    category: null,
    externalId: fitId.value,
    extras: [],
    descriptionKey: descriptionKey(name, memo),
    splits: [],
  };
}

function required(parent: OfxElement, name: string): OfxElement & { value: string } {
  const el = child(parent, name);
  if (el === undefined || el.value === null || el.value === '') {
    throw importParseError(parent.line, `<${parent.name}> has no <${name}>`, { tag: name });
  }
  return el as OfxElement & { value: string };
}
