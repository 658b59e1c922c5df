import { currencyExponent } from '../../../../shared/money/currency.js';
import { descriptionKey } from '../description-key.js';
import { importParseError } from '../parse-error.js';
import type { StatementExtra, StatementItem, StatementRow } from '../statement.js';
import { entryBankId, isTrue } from './camt-document.js';
import {
  FieldReader,
  formatMinor,
  readAmount,
  readBankCodes,
  readDate,
  readIndicator,
} from './camt-fields.js';
import { at, child, children, type XmlElement } from './xml-tree.js';

export interface EntryContext {
  /** Bank ids more than one entry of the statement uses; such an id is not the row's id. */
  repeatedIds: ReadonlySet<string>;
}

const SKIPPED: Readonly<Record<string, 'pending' | 'not-a-transaction'>> = {
  PDNG: 'pending',
  FUTR: 'pending',
  INFO: 'not-a-transaction',
};

/**
 * One `<Ntry>` as statement items: nothing for an entry that is not booked (a skip with
 * its reason), one row for a plain entry, one row per `<TxDtls>` for a batch whose
 * details each carry an amount (they must add up to the entry). Every leaf no field
 * took is kept in the row's extras under its path.
 */
export function entryItems(entry: XmlElement, ctx: EntryContext): StatementItem[] {
  const reader = new FieldReader();
  const amountEl = child(entry, 'Amt');
  if (amountEl === undefined) throw importParseError(entry.line, '<Ntry> has no <Amt>');
  reader.use(amountEl);
  const status = reader.text(entry, 'Sts/Cd') ?? reader.text(entry, 'Sts');
  const skipped = status === null ? undefined : SKIPPED[status];
  if (skipped !== undefined) {
    return [{ kind: 'skip', skip: { line: entry.line, reason: skipped, text: summary(entry) } }];
  }
  if (status !== 'BOOK') {
    throw importParseError(
      at(entry, 'Sts')?.line ?? entry.line,
      status === null
        ? '<Ntry> has no <Sts> (BOOK, PDNG or INFO)'
        : `<Sts> "${status.slice(0, 10)}" is not BOOK, PDNG or INFO`,
    );
  }
  const { minor, currency } = readAmount(amountEl);
  const sign = readIndicator(reader, entry);
  if (sign === null) throw importParseError(entry.line, '<Ntry> has no <CdtDbtInd>');
  const date = readDate(reader, entry, 'BookgDt');
  if (date === null) throw importParseError(entry.line, '<Ntry> has no booking date <BookgDt>');
  const reversal = isTrue(reader.text(entry, 'RvslInd') ?? undefined);
  const flip = reversal ? -1 : 1;

  const common: StatementExtra[] = [];
  const valueDate = readDate(reader, entry, 'ValDt');
  if (valueDate !== null) common.push({ label: 'Value date', value: valueDate });
  readBankCodes(reader, entry, common);
  if (reversal) {
    common.push({
      label: 'Reversal',
      value: `RvslInd true: booked as ${sign > 0 ? 'CRDT' : 'DBIT'}, imported with the opposite sign`,
    });
  }
  const entryInfo = reader.text(entry, 'AddtlNtryInf');
  const entryId = entryBankId(entry);
  const bankId = entryId !== null && !ctx.repeatedIds.has(entryId) ? entryId : null;
  // A reference that is not the row's id (a repeated one, NtryRef beside AcctSvcrRef) is kept.
  const idElement = [child(entry, 'AcctSvcrRef'), child(entry, 'NtryRef')].find(
    (el) => el !== undefined && el.text === bankId,
  );
  if (idElement !== undefined) reader.use(idElement);

  const details = children(entry, 'NtryDtls').flatMap((d) => children(d, 'TxDtls'));
  const split = details.length > 1 ? splitAmounts(reader, details, currency, sign) : null;
  if (split !== null) {
    const total = split.reduce((sum, part) => sum + part.signed, 0);
    if (total !== sign * minor) {
      const exponent = currencyExponent(currency);
      throw importParseError(
        entry.line,
        `the ${details.length} <TxDtls> amounts add up to ${formatMinor(total, currency, exponent)}, not the entry's ${formatMinor(sign * minor, currency, exponent)}`,
      );
    }
    for (const d of details) reader.skip(d);
    const shared = [...common];
    reader.leftovers(entry, '', shared);
    return split.map((part, index) => {
      const row = detailRow(reader, part.detail, part.indicator, entryInfo, shared);
      return rowItem({
        ...row,
        line: part.detail.line,
        date,
        amountMinor: flip * part.signed,
        currency,
        externalId: bankId === null ? null : `${bankId}#${index + 1}`,
      });
    });
  }

  if (details.length === 1) {
    const detail = details[0] as XmlElement;
    const detailSign = readIndicator(reader, detail) ?? sign;
    // The detail's copy of the entry amount says nothing new; any other amount is kept.
    for (const path of ['Amt', 'AmtDtls/TxAmt/Amt']) {
      const own = at(detail, path);
      if (own !== undefined && own.attrs.Ccy === currency && own.text === amountEl.text) {
        reader.use(own);
      }
    }
    reader.skip(detail);
    const shared = [...common];
    reader.leftovers(entry, '', shared);
    const row = detailRow(reader, detail, detailSign, entryInfo, shared);
    return [
      rowItem({
        ...row,
        line: entry.line,
        date,
        amountMinor: flip * sign * minor,
        currency,
        externalId: bankId,
      }),
    ];
  }

  // No details, or a batch whose details carry no amounts of their own: one row, and the
  // details (names, references, remittance text) kept in extras under their index.
  const extras = [...common];
  const texts: (string | null)[] = [entryInfo];
  details.forEach((d) => {
    reader.skip(d);
    for (const name of ['Nm', 'Ustrd', 'Ref', 'AddtlTxInf']) collectTexts(d, name, texts);
  });
  reader.leftovers(entry, '', extras);
  details.forEach((d, index) => reader.leftovers(d, `TxDtls[${index + 1}]`, extras));
  return [
    rowItem({
      line: entry.line,
      date,
      amountMinor: flip * sign * minor,
      currency,
      payee: null,
      memo: entryInfo,
      externalId: bankId,
      extras,
      descriptionKey: descriptionKey(...texts),
    }),
  ];
}

interface SplitPart {
  detail: XmlElement;
  indicator: 1 | -1;
  signed: number;
}

/** Each detail's own amount in the entry's currency, or null when one has none. */
function splitAmounts(
  reader: FieldReader,
  details: readonly XmlElement[],
  currency: string,
  entrySign: 1 | -1,
): SplitPart[] | null {
  const parts: (SplitPart & { amount: XmlElement })[] = [];
  // Read with a reader of its own: when one detail has no amount, nothing here was used.
  const probe = new FieldReader();
  for (const detail of details) {
    const own = at(detail, 'Amt');
    const fallback = at(detail, 'AmtDtls/TxAmt/Amt');
    const amount =
      own?.attrs.Ccy === currency ? own : fallback?.attrs.Ccy === currency ? fallback : null;
    if (amount === null || amount === undefined) return null;
    const indicator = readIndicator(probe, detail) ?? entrySign;
    parts.push({ detail, indicator, amount, signed: indicator * readAmount(amount).minor });
  }
  for (const part of parts) {
    reader.use(part.amount);
    reader.text(part.detail, 'CdtDbtInd');
  }
  return parts;
}

type RowFields = Pick<StatementRow, 'payee' | 'memo' | 'extras' | 'descriptionKey'>;

/** Payee, memo and extras of one transaction detail; the counterparty depends on the side. */
function detailRow(
  reader: FieldReader,
  detail: XmlElement,
  indicator: 1 | -1,
  entryInfo: string | null,
  shared: readonly StatementExtra[],
): RowFields {
  const debit = indicator < 0;
  const [party, ultimate, account, agent] = debit
    ? ['Cdtr', 'UltmtCdtr', 'CdtrAcct', 'CdtrAgt']
    : ['Dbtr', 'UltmtDbtr', 'DbtrAcct', 'DbtrAgt'];
  reader.text(detail, 'CdtDbtInd');
  const name = partyName(reader, detail, party);
  const ultimateName = partyName(reader, detail, ultimate);
  const extras: StatementExtra[] = [...shared];
  const push = (label: string, value: string | null) => {
    if (value !== null) extras.push({ label, value });
  };
  if (name !== null) push(debit ? 'Ultimate creditor' : 'Ultimate debtor', ultimateName);
  push(
    'Counterparty IBAN',
    reader.text(detail, `RltdPties/${account}/Id/IBAN`) ??
      reader.text(detail, `RltdPties/${account}/Id/Othr/Id`),
  );
  push(
    'Counterparty BIC',
    reader.text(detail, `RltdAgts/${agent}/FinInstnId/BIC`) ??
      reader.text(detail, `RltdAgts/${agent}/FinInstnId/BICFI`),
  );
  push('EndToEndId', reader.text(detail, 'Refs/EndToEndId'));
  push('MndtId', reader.text(detail, 'Refs/MndtId'));
  readBankCodes(reader, detail, extras);

  const remittance = child(detail, 'RmtInf');
  const unstructured = children(remittance, 'Ustrd').map((u) => {
    reader.use(u);
    return u.text;
  });
  const references = children(remittance, 'Strd')
    .map((s) => reader.text(s, 'CdtrRefInf/Ref'))
    .filter((r): r is string => r !== null);
  const memoParts = [
    unstructured.join(' '),
    references.join(' '),
    reader.text(detail, 'AddtlTxInf'),
    entryInfo,
  ].filter((p): p is string => p !== null && p !== '');
  const memo = [...new Set(memoParts)].join(' | ');
  reader.leftovers(detail, 'TxDtls', extras);
  return {
    payee: name ?? ultimateName,
    memo: memo === '' ? null : memo,
    extras: withoutRepeats(extras),
    descriptionKey: descriptionKey(name, ultimateName, ...memoParts),
  };
}

/** `<Nm>` of a party: directly under it (001.02–.07) or under `<Pty>` (001.08 on). */
function partyName(reader: FieldReader, detail: XmlElement, party: string): string | null {
  return (
    reader.text(detail, `RltdPties/${party}/Nm`) ?? reader.text(detail, `RltdPties/${party}/Pty/Nm`)
  );
}

/** An entry and its detail often repeat the same code; the second copy says nothing new. */
function withoutRepeats(extras: readonly StatementExtra[]): StatementExtra[] {
  const seen = new Set<string>();
  return extras.filter((e) => {
    const key = JSON.stringify([e.label, e.value]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function collectTexts(el: XmlElement, name: string, out: (string | null)[]): void {
  for (const c of el.children) {
    if (c.name === name) out.push(c.text);
    else collectTexts(c, name, out);
  }
}

function rowItem(
  fields: Omit<StatementRow, 'category' | 'splits'> & Partial<StatementRow>,
): StatementItem {
  return { kind: 'row', row: { category: null, splits: [], ...fields } };
}

/** What a skipped entry was, for the summary: status, date, amount and its text. */
function summary(entry: XmlElement): string {
  const amount = child(entry, 'Amt');
  const parts = [
    at(entry, 'Sts/Cd')?.text ?? at(entry, 'Sts')?.text,
    at(entry, 'BookgDt/Dt')?.text ?? at(entry, 'ValDt/Dt')?.text,
    child(entry, 'CdtDbtInd')?.text === 'DBIT' ? `-${amount?.text ?? ''}` : amount?.text,
    amount?.attrs.Ccy,
    child(entry, 'AddtlNtryInf')?.text,
  ];
  return parts
    .filter((p) => p !== undefined && p !== '')
    .join(' ')
    .slice(0, 120);
}
