import * as z from 'zod';
import { CofferError } from '../errors/coffer-error.js';

/**
 * Calendar dates are text 'YYYY-MM-DD' (months 'YYYY-MM') in the proleptic Gregorian
 * calendar, with no time zone: a transaction on 2024-03-31 is on that day wherever it is
 * read. Only `todayIso` looks at a clock, and it takes the UTC day. Arithmetic works on
 * day numbers (days since 1970-01-01), never on `Date` parsing of strings.
 * Years are limited to 1900–2999: wider than any ledger needs, narrow enough to catch typos.
 */
export type IsoDate = string;
export type IsoMonth = string;

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_SHAPE = /^(\d{4})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isIsoDate(value: unknown): value is IsoDate {
  return dateProblem(value) === null;
}

export function isIsoMonth(value: unknown): value is IsoMonth {
  return monthProblem(value) === null;
}

export const IsoDateSchema = z.string().refine(isIsoDate, {
  error: `Must be a real calendar date written YYYY-MM-DD, years ${MIN_YEAR}–${MAX_YEAR}`,
});

export const IsoMonthSchema = z.string().refine(isIsoMonth, {
  error: `Must be a month written YYYY-MM, years ${MIN_YEAR}–${MAX_YEAR}`,
});

/** Returns `value` if it is a real 'YYYY-MM-DD' date; throws INVALID_DATE saying why not. */
export function assertIsoDate(value: unknown): IsoDate {
  const problem = dateProblem(value);
  if (problem !== null) {
    throw new CofferError('INVALID_DATE', `Date ${show(value)} ${problem}`, {
      value: shown(value),
    });
  }
  return value as IsoDate;
}

/** Returns `value` if it is a 'YYYY-MM' month; throws INVALID_MONTH saying why not. */
export function assertIsoMonth(value: unknown): IsoMonth {
  const problem = monthProblem(value);
  if (problem !== null) {
    throw new CofferError('INVALID_MONTH', `Month ${show(value)} ${problem}`, {
      value: shown(value),
    });
  }
  return value as IsoMonth;
}

export function monthOf(date: IsoDate): IsoMonth {
  return assertIsoDate(date).slice(0, 7);
}

export function monthBounds(month: IsoMonth): { first: IsoDate; last: IsoDate } {
  const [year, monthNumber] = splitMonth(assertIsoMonth(month));
  const lastDay = String(daysInMonth(year, monthNumber)).padStart(2, '0');
  return { first: `${month}-01`, last: `${month}-${lastDay}` };
}

export function addDays(date: IsoDate, days: number): IsoDate {
  assertWholeNumber(days, 'Days');
  return epochDayToIsoDate(isoDateToEpochDay(date) + days);
}

/** Same day `months` later (or earlier), pulled back to the month's last day: Jan 31 + 1 → Feb 28/29. */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  assertWholeNumber(months, 'Months');
  const [year, month, day] = splitDate(assertIsoDate(date));
  const [newYear, newMonth] = shiftMonth(year, month, months);
  return checkedDate(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

/** The month `months` after `month`: '2024-11' + 3 → '2025-02'. */
export function addMonthsToMonth(month: IsoMonth, months: number): IsoMonth {
  assertWholeNumber(months, 'Months');
  const [year, monthNumber] = splitMonth(assertIsoMonth(month));
  const [newYear, newMonth] = shiftMonth(year, monthNumber, months);
  return assertIsoMonth(`${pad4(newYear)}-${pad2(newMonth)}`);
}

/** Whole days from `from` to `to`: daysBetween('2024-02-28', '2024-03-01') → 2. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return isoDateToEpochDay(to) - isoDateToEpochDay(from);
}

/** Today's date in UTC. */
export function todayIso(nowMs: number = Date.now()): IsoDate {
  if (!Number.isFinite(nowMs))
    throw new CofferError('INVALID_DATE', 'The clock reading is not a number');
  return epochDayToIsoDate(Math.floor(nowMs / MS_PER_DAY));
}

/** -1, 0 or 1. Valid ISO dates (and months) order correctly as plain text. */
export function compareIsoDate(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Days since 1970-01-01 (negative before). */
export function isoDateToEpochDay(date: IsoDate): number {
  const [year, month, day] = splitDate(assertIsoDate(date));
  return daysFromCivil(year, month, day);
}

export function epochDayToIsoDate(epochDay: number): IsoDate {
  assertWholeNumber(epochDay, 'Day number');
  const { year, month, day } = civilFromDays(epochDay);
  return checkedDate(year, month, day);
}

function dateProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be text written YYYY-MM-DD';
  const match = DATE_SHAPE.exec(value);
  if (match === null) return 'must be written YYYY-MM-DD';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return `must be in the years ${MIN_YEAR}–${MAX_YEAR}`;
  if (month < 1 || month > 12) return 'has no such month';
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay)
    return `is not a real date (${pad4(year)}-${pad2(month)} has ${lastDay} days)`;
  return null;
}

function monthProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be text written YYYY-MM';
  const match = MONTH_SHAPE.exec(value);
  if (match === null) return 'must be written YYYY-MM';
  const [year, month] = [Number(match[1]), Number(match[2])];
  if (year < MIN_YEAR || year > MAX_YEAR) return `must be in the years ${MIN_YEAR}–${MAX_YEAR}`;
  if (month < 1 || month > 12) return 'has no such month';
  return null;
}

function checkedDate(year: number, month: number, day: number): IsoDate {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new CofferError('INVALID_DATE', `Date falls outside the years ${MIN_YEAR}–${MAX_YEAR}`);
  }
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

function shiftMonth(year: number, month: number, months: number): [number, number] {
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  return [newYear, index - newYear * 12 + 1];
}

function splitDate(date: IsoDate): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function splitMonth(month: IsoMonth): [number, number] {
  return [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
}

function assertWholeNumber(value: number, what: string): void {
  // Bounded well inside the safe range so that day arithmetic stays exact.
  if (!Number.isInteger(value) || Math.abs(value) > 100_000_000) {
    throw new CofferError('INVALID_INPUT', `${what} must be a whole number`);
  }
}

// Howard Hinnant's days_from_civil / civil_from_days: exact integer Gregorian arithmetic.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(epochDay: number): { year: number; month: number; day: number } {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

function shown(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 40) : null;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : `(${typeof value})`;
}
