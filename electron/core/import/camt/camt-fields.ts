import { isCurrencyCode } from '../../../../shared/money/currency.js';
import { isoIfReal } from '../csv/date-format.js';
import { decimalToMinor } from '../decimal-amount.js';
import { fieldError, importParseError } from '../parse-error.js';
import type { StatementExtra } from '../statement.js';
import { at, type XmlElement } from './xml-tree.js';

/**
 * Reads fields out of an element while remembering which leaves were used, so that
 * every leaf no ledger field took can be kept in the row's extras afterwards.
 */
export class FieldReader {
  private readonly used = new Set<XmlElement>();
  private readonly skipped = new Set<XmlElement>();

  /** The text at `path` under `base`, marked as used; null when absent or empty. */
  text(base: XmlElement | undefined, path: string): string | null {
    const el = at(base, path);
    if (el === undefined) return null;
    this.used.add(el);
    return el.text === '' ? null : el.text;
  }

  use(el: XmlElement): void {
    this.used.add(el);
  }

  /** Leaves under `el` are left to another reader (a batch entry's TxDtls). */
  skip(el: XmlElement): void {
    this.skipped.add(el);
  }

  /** Every leaf under `el` no field took, labelled with its path, in file order. */
  leftovers(el: XmlElement, prefix: string, out: StatementExtra[]): void {
    for (const c of el.children) {
      if (this.skipped.has(c)) continue;
      const label = prefix === '' ? c.name : `${prefix}/${c.name}`;
      if (c.children.length > 0) {
        this.leftovers(c, label, out);
        continue;
      }
      if (this.used.has(c)) continue;
      const ccy = c.attrs.Ccy;
      const value = ccy === undefined ? c.text : `${c.text} ${ccy}`.trim();
      if (value !== '') out.push({ label, value });
    }
  }
}

/** The date of a `<BookgDt>`/`<ValDt>`: its `<Dt>`, or the date part of `<DtTm>` as written. */
export function readDate(reader: FieldReader, base: XmlElement, name: string): string | null {
  const dt = reader.text(base, `${name}/Dt`) ?? reader.text(base, `${name}/DtTm`);
  if (dt === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(dt);
  const iso = m === null ? null : isoIfReal(Number(m[1]), Number(m[2]), Number(m[3]));
  if (iso === null) {
    const line = at(base, name)?.line ?? base.line;
    throw importParseError(line, `<${name}> "${dt.slice(0, 30)}" is not an ISO date`, {
      tag: name,
    });
  }
  return iso;
}

const XML_DECIMAL = /^\d+(?:\.\d+)?$/;

/** An `<Amt Ccy="…">` as minor units; CAMT amounts are never negative, CdtDbtInd signs them. */
export function readAmount(el: XmlElement): { minor: number; currency: string } {
  const currency = el.attrs.Ccy ?? '';
  const shown = currency.slice(0, 10);
  if (!isCurrencyCode(currency)) {
    throw importParseError(
      el.line,
      shown === ''
        ? `<${el.name}> has no Ccy attribute`
        : `<${el.name}> Ccy "${shown}" is not an ISO 4217 currency code`,
      { tag: el.name },
    );
  }
  if (!XML_DECIMAL.test(el.text)) {
    throw importParseError(el.line, `<${el.name}> "${el.text.slice(0, 40)}" is not an amount`, {
      tag: el.name,
    });
  }
  try {
    return { minor: decimalToMinor(el.text, currency), currency };
  } catch (err) {
    throw fieldError(el.line, err, { tag: el.name });
  }
}

/** +1 for CRDT, −1 for DBIT. */
export function readIndicator(reader: FieldReader, base: XmlElement): 1 | -1 | null {
  const value = reader.text(base, 'CdtDbtInd');
  if (value === null) return null;
  if (value === 'CRDT') return 1;
  if (value === 'DBIT') return -1;
  throw importParseError(
    at(base, 'CdtDbtInd')?.line ?? base.line,
    `<CdtDbtInd> "${value.slice(0, 10)}" is neither CRDT nor DBIT`,
  );
}

/** A bank transaction code as one string: "PMNT/RDDT/ESDD", or the proprietary code. */
export function readBankCodes(reader: FieldReader, base: XmlElement, out: StatementExtra[]): void {
  const domain = reader.text(base, 'BkTxCd/Domn/Cd');
  const family = reader.text(base, 'BkTxCd/Domn/Fmly/Cd');
  const sub = reader.text(base, 'BkTxCd/Domn/Fmly/SubFmlyCd');
  if (domain !== null) {
    out.push({
      label: 'Bank transaction code',
      value: [domain, family, sub].filter((p) => p !== null).join('/'),
    });
  }
  const proprietary = reader.text(base, 'BkTxCd/Prtry/Cd');
  const issuer = reader.text(base, 'BkTxCd/Prtry/Issr');
  if (proprietary !== null) {
    out.push({
      label: 'Bank code (proprietary)',
      value: issuer === null ? proprietary : `${proprietary} (${issuer})`,
    });
  }
}

export function formatMinor(minor: number, currency: string, exponent: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return exponent === 0
    ? `${sign}${whole} ${currency}`
    : `${sign}${whole}.${digits.slice(-exponent)} ${currency}`;
}
