import { describe, expect, it } from 'vitest';
import type { ConflictView } from '../../../../shared/api/conflicts.methods.js';
import { fieldName, formatConflictValue, takesTypedAmount } from './conflict-format.js';

const kept = { value: null, editedAt: null, thisDevice: false };
function conflict(field: string, currency: string | null): ConflictView {
  return {
    id: 'c1',
    collection: 'transactions',
    recordId: 'r1',
    field,
    label: null,
    currency,
    recordDeleted: false,
    mine: kept,
    theirs: kept,
  };
}

describe('conflict values as the review shows them', () => {
  it('formats an amount in minor units in its currency, never as a bare number', () => {
    const amount = conflict('amountMinor', 'EUR');
    expect(formatConflictValue(amount, -1500)).toMatch(/15\.00/);
    expect(formatConflictValue(amount, -1500)).not.toBe('-1500');
    expect(formatConflictValue(conflict('amountMinor', 'JPY'), 1500)).toMatch(/1,500/);
    expect(takesTypedAmount(amount)).toBe(true);
  });

  it('shows dates in the locale and other values as text; only amounts take a typed value', () => {
    const date = conflict('date', null);
    expect(formatConflictValue(date, '2026-11-02')).not.toBe('2026-11-02');
    expect(formatConflictValue(conflict('currency', null), 'EUR')).toBe('EUR');
    expect(formatConflictValue(conflict('splits', null), null)).toBe('None');
    expect(takesTypedAmount(date)).toBe(false);
    expect(takesTypedAmount(conflict('currency', null))).toBe(false);
    expect(fieldName('amountMinor')).toBe('Amount');
    expect(fieldName('somethingNew')).toBe('somethingNew');
  });
});
