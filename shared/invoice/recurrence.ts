/**
 * Dates of a recurring schedule. Occurrence k is computed from the START date
 * (start + k × step), never from the previous occurrence, so month-end clamping does not
 * drift: a schedule starting Jan 31 runs Feb 28 (29), Mar 31, Apr 30, … rather than
 * sticking to the 28th after February.
 */
import { addDays, addMonthsClamped, daysBetween } from '../dates/iso-date.js';
import type { RecurringFrequency } from '../domain/invoicing.schema.js';

export interface RecurrenceRule {
  readonly startDate: string;
  readonly frequency: RecurringFrequency;
  readonly interval: number;
}

const MONTHS_PER_UNIT: Record<Exclude<RecurringFrequency, 'weekly'>, number> = {
  monthly: 1,
  quarterly: 3,
  yearly: 12,
};

/** Occurrence number `k` (0 = the start date). */
export function occurrenceDate(rule: RecurrenceRule, k: number): string {
  if (rule.frequency === 'weekly') return addDays(rule.startDate, 7 * rule.interval * k);
  return addMonthsClamped(rule.startDate, MONTHS_PER_UNIT[rule.frequency] * rule.interval * k);
}

function monthNumber(date: string): number {
  const [y, m] = date.split('-').map(Number);
  return (y ?? 0) * 12 + (m ?? 1) - 1;
}

/** A k close to, and not past, the first occurrence after `date`. */
function estimateIndex(rule: RecurrenceRule, date: string): number {
  const estimate =
    rule.frequency === 'weekly'
      ? Math.floor(daysBetween(rule.startDate, date) / (7 * rule.interval))
      : Math.floor(
          (monthNumber(date) - monthNumber(rule.startDate)) /
            (MONTHS_PER_UNIT[rule.frequency] * rule.interval),
        );
  return Math.max(0, estimate - 1);
}

/** The first occurrence strictly after `date` (the start date itself if it is later). */
export function occurrenceAfter(rule: RecurrenceRule, date: string): string {
  let k = estimateIndex(rule, date);
  let candidate = occurrenceDate(rule, k);
  while (candidate <= date) {
    k += 1;
    candidate = occurrenceDate(rule, k);
  }
  return candidate;
}

export interface DueOccurrences {
  /** Occurrence dates from `nextDate` through `today` (and through `endDate`), ascending. */
  dates: string[];
  /** The schedule's next date once those are generated. */
  nextDate: string;
  /** False once the next date lies past `endDate`. */
  active: boolean;
}

/**
 * Every occurrence due by `today`, starting at the stored `nextDate`, and where the
 * schedule stands afterwards. Running it again with the returned `nextDate` and the same
 * `today` yields no dates, which is what makes generation idempotent.
 */
export function dueOccurrences(
  rule: RecurrenceRule & {
    readonly nextDate: string;
    readonly endDate: string | null;
  },
  today: string,
): DueOccurrences {
  const dates: string[] = [];
  let next = rule.nextDate;
  const inRange = (d: string): boolean => rule.endDate === null || d <= rule.endDate;
  while (next <= today && inRange(next)) {
    dates.push(next);
    next = occurrenceAfter(rule, next);
  }
  return { dates, nextDate: next, active: inRange(next) };
}
