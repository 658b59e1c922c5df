import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { isCurrencyCode } from '../../../../shared/money/currency.js';
import { decimalToMinor } from '../decimal-amount.js';
import { descriptionKey } from '../description-key.js';
import { fieldError, importParseError } from '../parse-error.js';
import type { StatementExtra, StatementRow } from '../statement.js';
import { normalizeOfxAmount, parseOfxDate } from './ofx-fields.js';
import { child, type OfxElement } from './ofx-tree.js';

// The STMTTRN children a ledger field takes; every other one is kept as an extra.
export const MAPPED_TAGS = new Set(['DTPOSTED', 'TRNAMT', 'FITID', 'NAME', 'MEMO']);

/**
 * One <STMTTRN> as a statement row. `currency` is the statement's (or the account's when
 * the statement has none); a <CURRENCY> aggregate naming another currency means the
 * amount is in that currency (OFX spec 5.2), so the row carries it and the writer
 * decides. <ORIGCURRENCY> only describes a conversion already made and is kept as extras.
 */
export function readOfxTransaction(trn: OfxElement, currency: string): StatementRow {
  const posted = required(trn, 'DTPOSTED');
  const amount = required(trn, 'TRNAMT');

  const foreign = child(trn, 'CURRENCY');
  const symbol = foreign === undefined ? undefined : child(foreign, 'CURSYM')?.value?.toUpperCase();
  let rowCurrency: string | null = null;
  if (symbol !== undefined && symbol !== currency) {
    const known: unknown = symbol;
    if (!isCurrencyCode(known)) {
      throw importParseError(
        foreign?.line ?? trn.line,
        `<CURSYM> "${symbol}" is not an ISO 4217 currency code`,
      );
    }
    rowCurrency = symbol;
  }

  const normalized = normalizeOfxAmount(amount.value);
  if (normalized === null)
    throw importParseError(amount.line, `<TRNAMT> "${amount.value.slice(0, 40)}" is not an amount`);
  let amountMinor: number;
  try {
    amountMinor = decimalToMinor(normalized, rowCurrency ?? currency);
  } catch (err) {
    throw fieldError(amount.line, err, { tag: 'TRNAMT' });
  }

  const name = child(trn, 'NAME')?.value ?? null;
  const payeeAggregate = child(trn, 'PAYEE');
  const payeeName = (payeeAggregate && child(payeeAggregate, 'NAME')?.value) ?? null;
  const payee = name ?? payeeName;
  const memo = child(trn, 'MEMO')?.value ?? null;
  const extended = child(trn, 'EXTDNAME')?.value ?? null;

  const extras: StatementExtra[] = [];
  for (const el of trn.children) {
    if (MAPPED_TAGS.has(el.name)) continue;
    collectExtras(el, `<${el.name}>`, extras, payee === payeeName ? payeeAggregate : undefined);
  }
  return {
    line: trn.line,
    date: parseOfxDate(posted.value, posted.line, 'DTPOSTED'),
    amountMinor,
    currency: rowCurrency,
    payee,
    memo,
    category: null,
    externalId: child(trn, 'FITID')?.value ?? null,
    extras,
    descriptionKey: descriptionKey(name, payeeName === name ? null : payeeName, extended, memo),
    splits: [],
  };
}

/** Leaves of an extra element, labelled by their tag path ("<PAYEE><CITY>"). */
function collectExtras(
  el: OfxElement,
  label: string,
  out: StatementExtra[],
  usedPayee: OfxElement | undefined,
): void {
  if (el.value !== null) {
    out.push({ label, value: el.value });
    return;
  }
  for (const c of el.children) {
    if (el === usedPayee && c.name === 'NAME') continue;
    collectExtras(c, `${label}<${c.name}>`, out, usedPayee);
  }
}

function required(parent: OfxElement, name: string): OfxElement & { value: string } {
  const el = child(parent, name);
  if (el === undefined || el.value === null || el.value === '') {
    throw importParseError(parent.line, `<${parent.name}> has no <${name}>`, { tag: name });
  }
  return el as OfxElement & { value: string };
}

/** Thrown by a statement without a currency when no account currency was given to read it in. */
export function needsCurrency(line: number): CofferError {
  return new CofferError(
    'IMPORT_NEEDS_CHOICE',
    `line ${line}: the statement names no currency (<CURDEF>); import it into an account, whose currency is then used`,
    { setting: 'currency', options: [], flag: '--account', line },
  );
}
