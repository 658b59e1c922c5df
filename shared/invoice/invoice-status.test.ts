import { describe, expect, it } from 'vitest';
import { effectiveInvoiceStatus, storedStatusAfterPayments } from './invoice-status.js';
import { effectiveQuoteStatus } from './quote-status.js';

const TODAY = '2025-03-15';

describe('effectiveInvoiceStatus', () => {
  it('shows draft and void as stored, whatever the dates and amounts', () => {
    expect(effectiveInvoiceStatus({ status: 'draft', dueDate: '2020-01-01' }, 0, 100, TODAY)).toBe(
      'draft',
    );
    expect(effectiveInvoiceStatus({ status: 'void', dueDate: '2020-01-01' }, 0, 100, TODAY)).toBe(
      'void',
    );
  });

  it('derives overdue for sent and partially paid invoices due before today', () => {
    expect(effectiveInvoiceStatus({ status: 'sent', dueDate: '2025-03-14' }, 0, 100, TODAY)).toBe(
      'overdue',
    );
    expect(
      effectiveInvoiceStatus({ status: 'partially_paid', dueDate: '2025-03-14' }, 40, 100, TODAY),
    ).toBe('overdue');
  });

  it('is not overdue on the due date itself', () => {
    expect(effectiveInvoiceStatus({ status: 'sent', dueDate: TODAY }, 0, 100, TODAY)).toBe('sent');
    expect(effectiveInvoiceStatus({ status: 'sent', dueDate: TODAY }, 40, 100, TODAY)).toBe(
      'partially_paid',
    );
  });

  it('is paid once nothing is left to pay, even past the due date', () => {
    expect(effectiveInvoiceStatus({ status: 'paid', dueDate: '2025-01-01' }, 100, 100, TODAY)).toBe(
      'paid',
    );
    // stored status lagging behind a payment synced from another device
    expect(effectiveInvoiceStatus({ status: 'sent', dueDate: '2025-01-01' }, 100, 100, TODAY)).toBe(
      'paid',
    );
  });

  it('has no due date → never overdue', () => {
    expect(effectiveInvoiceStatus({ status: 'sent', dueDate: null }, 0, 100, TODAY)).toBe('sent');
  });
});

describe('storedStatusAfterPayments', () => {
  it('moves between sent, partially_paid and paid, leaving draft and void alone', () => {
    expect(storedStatusAfterPayments('sent', 0, 100)).toBe('sent');
    expect(storedStatusAfterPayments('sent', 1, 100)).toBe('partially_paid');
    expect(storedStatusAfterPayments('partially_paid', 100, 100)).toBe('paid');
    expect(storedStatusAfterPayments('paid', 0, 100)).toBe('sent');
    expect(storedStatusAfterPayments('draft', 100, 100)).toBe('draft');
    expect(storedStatusAfterPayments('void', 0, 100)).toBe('void');
  });
});

describe('effectiveQuoteStatus', () => {
  it('expires a sent quote after its valid-until date, and only a sent one', () => {
    expect(effectiveQuoteStatus({ status: 'sent', validUntil: '2025-03-14' }, TODAY)).toBe(
      'expired',
    );
    expect(effectiveQuoteStatus({ status: 'sent', validUntil: TODAY }, TODAY)).toBe('sent');
    expect(effectiveQuoteStatus({ status: 'sent', validUntil: null }, TODAY)).toBe('sent');
    expect(effectiveQuoteStatus({ status: 'accepted', validUntil: '2025-01-01' }, TODAY)).toBe(
      'accepted',
    );
  });
});
