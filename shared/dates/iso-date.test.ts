import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import {
  IsoDateSchema,
  IsoMonthSchema,
  addDays,
  addMonthsClamped,
  addMonthsToMonth,
  assertIsoDate,
  assertIsoMonth,
  compareIsoDate,
  daysBetween,
  epochDayToIsoDate,
  isIsoDate,
  isoDateToEpochDay,
  monthBounds,
  monthOf,
  todayIso,
} from './iso-date.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  return undefined;
}

const MIN_DAY = isoDateToEpochDay('1900-01-01');
const MAX_DAY = isoDateToEpochDay('2999-12-31');
const anyDate = fc.integer({ min: MIN_DAY, max: MAX_DAY }).map(epochDayToIsoDate);

describe('validation', () => {
  it.each(['2024-02-29', '2000-02-29', '2023-12-31', '1900-01-01', '2999-12-31', '2024-04-30'])(
    'accepts %s',
    (date) => {
      expect(assertIsoDate(date)).toBe(date);
      expect(IsoDateSchema.safeParse(date).success).toBe(true);
    },
  );

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2100-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-1-01',
    '24-01-01',
    '2024/01/01',
    '2024-01-01T00:00:00Z',
    ' 2024-01-01',
    '1899-12-31',
    '3000-01-01',
    '',
    '２０２４-01-01',
  ])('refuses %j with INVALID_DATE', (date) => {
    expect(codeOf(() => assertIsoDate(date))).toBe('INVALID_DATE');
    expect(IsoDateSchema.safeParse(date).success).toBe(false);
  });

  it('says why a date is not real', () => {
    expect(() => assertIsoDate('2023-02-29')).toThrow(/2023-02 has 28 days/);
    expect(codeOf(() => assertIsoDate(20240101))).toBe('INVALID_DATE');
  });

  it('validates months', () => {
    expect(assertIsoMonth('2024-02')).toBe('2024-02');
    expect(IsoMonthSchema.safeParse('2024-12').success).toBe(true);
    for (const bad of ['2024-13', '2024-00', '2024-2', '2024-02-01', '1899-12', 202402]) {
      expect(codeOf(() => assertIsoMonth(bad))).toBe('INVALID_MONTH');
      expect(IsoMonthSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('arithmetic', () => {
  it('monthOf and monthBounds', () => {
    expect(monthOf('2024-02-15')).toBe('2024-02');
    expect(monthBounds('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(monthBounds('2023-02')).toEqual({ first: '2023-02-01', last: '2023-02-28' });
    expect(monthBounds('2024-12')).toEqual({ first: '2024-12-01', last: '2024-12-31' });
    expect(codeOf(() => monthBounds('2024-13'))).toBe('INVALID_MONTH');
  });

  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-01-15', 30)).toBe('2024-02-14');
    expect(codeOf(() => addDays('2999-12-31', 1))).toBe('INVALID_DATE');
    expect(codeOf(() => addDays('2024-01-01', 0.5))).toBe('INVALID_INPUT');
  });

  it('addMonthsClamped keeps the day or takes the month end', () => {
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonthsClamped('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonthsClamped('2024-01-15', 12)).toBe('2025-01-15');
    expect(addMonthsClamped('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-01-31', -13)).toBe('2022-12-31');
    expect(addMonthsClamped('2024-05-31', 0)).toBe('2024-05-31');
    expect(codeOf(() => addMonthsClamped('2999-12-01', 1))).toBe('INVALID_DATE');
  });

  it('addMonthsToMonth', () => {
    expect(addMonthsToMonth('2024-11', 3)).toBe('2025-02');
    expect(addMonthsToMonth('2024-01', -1)).toBe('2023-12');
    expect(codeOf(() => addMonthsToMonth('2999-12', 1))).toBe('INVALID_MONTH');
  });

  it('daysBetween, compareIsoDate, todayIso', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(compareIsoDate('2024-01-02', '2024-01-10')).toBe(-1);
    expect(compareIsoDate('2024-01-10', '2024-01-10')).toBe(0);
    expect(compareIsoDate('2025-01-01', '2024-12-31')).toBe(1);
    expect(todayIso(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29');
    expect(todayIso(Date.UTC(2024, 2, 1))).toBe('2024-03-01');
    expect(todayIso(-1)).toBe('1969-12-31');
    expect(codeOf(() => todayIso(Number.NaN))).toBe('INVALID_DATE');
  });
});

describe('properties', () => {
  it('day numbers agree with Date.UTC across the whole range', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_DAY, max: MAX_DAY }), (day) => {
        const date = epochDayToIsoDate(day);
        expect(isIsoDate(date)).toBe(true);
        expect(new Date(day * 86_400_000).toISOString().slice(0, 10)).toBe(date);
        expect(isoDateToEpochDay(date)).toBe(day);
      }),
      { numRuns: 2000 },
    );
  });

  it('addMonthsClamped gives a valid date in the right month, never past the original day', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -120, max: 120 }), (date, months) => {
        let result: string;
        try {
          result = addMonthsClamped(date, months);
        } catch (error) {
          expect(isCofferError(error) && error.code).toBe('INVALID_DATE');
          return;
        }
        expect(isIsoDate(result)).toBe(true);
        expect(monthOf(result)).toBe(addMonthsToMonth(monthOf(date), months));
        const day = Number(date.slice(8));
        const newDay = Number(result.slice(8));
        expect(
          newDay === day || (newDay < day && result === monthBounds(monthOf(result)).last),
        ).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('addDays is invertible and matches daysBetween', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        let later: string;
        try {
          later = addDays(date, n);
        } catch {
          return;
        }
        expect(addDays(later, -n)).toBe(date);
        expect(daysBetween(date, later)).toBe(n);
        expect(Math.sign(compareIsoDate(later, date))).toBe(Math.sign(n));
      }),
    );
  });
});
