import { importParseError } from '../parse-error.js';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';

// YYYYMMDD[HHMM[SS[.XXX]]][ [gmt offset[:tz name]]]
const OFX_DATE =
  /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:\.\d{1,6})?)?)?\s*(?:\[\s*[+-]?\d{1,2}(?:\.\d{1,2})?(?::[A-Za-z0-9_+-]*)?\s*\])?$/;

/**
 * The calendar date of an OFX date-time, as the bank wrote it. The time and zone are
 * checked but not applied: a card payment posted "20240105200000[-5:EST]" happened on
 * January 5 for the account holder, and moving it to UTC would put it on the 6th.
 */
export function parseOfxDate(value: string, line: number, tag: string): string {
  const m = OFX_DATE.exec(value.trim());
  const hour = Number(m?.[4] ?? 0);
  const minute = Number(m?.[5] ?? 0);
  const second = Number(m?.[6] ?? 0);
  const iso = m === null ? null : `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}`;
  const date = iso !== null && isIsoDate(iso) ? iso : null;
  if (date === null || hour > 23 || minute > 59 || second > 60) {
    throw importParseError(
      line,
      `<${tag}> "${value.slice(0, 40)}" is not an OFX date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])`,
      { tag },
    );
  }
  return date;
}

/** A TRNAMT in plain decimal form; some banks write a decimal comma ("-4,50"). */
export function normalizeOfxAmount(value: string): string | null {
  const trimmed = value.trim().replace(/\s+/g, '');
  if (/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed)) return trimmed.replace(',', '.');
  return null;
}
