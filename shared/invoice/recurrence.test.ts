import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../dates/iso-date.js';
import {
  dueOccurrences,
  occurrenceAfter,
  occurrenceDate,
  type RecurrenceRule,
} from './recurrence.js';

const monthly = (startDate: string, interval = 1): RecurrenceRule => ({
  startDate,
  frequency: 'monthly',
  interval,
});

describe('occurrenceDate', () => {
  it('clamps to month end without drifting: Jan 31 → Feb 29 → Mar 31 → Apr 30', () => {
    const rule = monthly('2024-01-31');
    expect([0, 1, 2, 3, 12, 13].map((k) => occurrenceDate(rule, k))).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2025-01-31',
      '2025-02-28',
    ]);
  });

  it('handles weekly, quarterly and yearly steps and intervals', () => {
    expect(occurrenceDate({ startDate: '2024-12-30', frequency: 'weekly', interval: 2 }, 1)).toBe(
      '2025-01-13',
    );
    expect(
      occurrenceDate({ startDate: '2024-11-30', frequency: 'quarterly', interval: 1 }, 1),
    ).toBe('2025-02-28');
    expect(occurrenceDate({ startDate: '2024-02-29', frequency: 'yearly', interval: 1 }, 1)).toBe(
      '2025-02-28',
    );
    expect(occurrenceDate({ startDate: '2024-02-29', frequency: 'yearly', interval: 1 }, 4)).toBe(
      '2028-02-29',
    );
  });
});

describe('occurrenceAfter', () => {
  it('finds the first occurrence strictly after a date', () => {
    const rule = monthly('2024-01-31');
    expect(occurrenceAfter(rule, '2024-01-31')).toBe('2024-02-29');
    expect(occurrenceAfter(rule, '2024-02-29')).toBe('2024-03-31');
    expect(occurrenceAfter(rule, '2023-06-01')).toBe('2024-01-31');
  });

  it('property: is an occurrence, is after the date, and no occurrence lies between', () => {
    const rules = fc.record({
      startDate: fc.integer({ min: 0, max: 20_000 }).map((d) => addDays('1990-01-01', d)),
      frequency: fc.constantFrom(
        'weekly' as const,
        'monthly' as const,
        'quarterly' as const,
        'yearly' as const,
      ),
      interval: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(rules, fc.integer({ min: 0, max: 3000 }), (rule, offset) => {
        const date = addDays(rule.startDate, offset);
        const next = occurrenceAfter(rule, date);
        expect(next > date).toBe(true);
        let k = 0;
        while (occurrenceDate(rule, k) <= date) k++;
        expect(occurrenceDate(rule, k)).toBe(next);
      }),
    );
  });
});

describe('dueOccurrences', () => {
  it('catches up every missed period through today', () => {
    const due = dueOccurrences(
      { ...monthly('2024-10-31'), nextDate: '2024-10-31', endDate: null },
      '2025-02-28',
    );
    expect(due).toEqual({
      dates: ['2024-10-31', '2024-11-30', '2024-12-31', '2025-01-31', '2025-02-28'],
      nextDate: '2025-03-31',
      active: true,
    });
  });

  it('yields nothing when the next date is after today (idempotent)', () => {
    expect(
      dueOccurrences(
        { ...monthly('2024-10-31'), nextDate: '2025-03-31', endDate: null },
        '2025-02-28',
      ),
    ).toEqual({
      dates: [],
      nextDate: '2025-03-31',
      active: true,
    });
  });

  it('stops at the end date and goes inactive', () => {
    expect(
      dueOccurrences(
        {
          ...monthly('2025-01-15'),
          nextDate: '2025-01-15',
          endDate: '2025-03-15',
        },
        '2025-12-31',
      ),
    ).toEqual({
      dates: ['2025-01-15', '2025-02-15', '2025-03-15'],
      nextDate: '2025-04-15',
      active: false,
    });
  });
});
