import { describe, expect, it } from 'vitest';
import {
  indicatorSign,
  isBalanceRow,
  isDeclinedWord,
  isPaymentText,
  isPendingWord,
  isSummaryText,
} from './row-classes.js';

describe('row classes', () => {
  it('reads debit/credit markers in the six languages', () => {
    for (const debit of ['DR', 'D', 'Debit', 'Débit', 'S', 'Soll', 'Af', '-']) {
      expect(indicatorSign(debit), debit).toBe(-1);
    }
    for (const credit of ['CR', 'c', 'Credit', 'Crédit', 'H', 'Haben', 'Bij', '+']) {
      expect(indicatorSign(credit), credit).toBe(1);
    }
    for (const other of ['DEBIT_CARD', 'ACH_CREDIT', 'Visa purchase', '']) {
      expect(indicatorSign(other), other).toBeNull();
    }
  });

  it('knows pending, declined, payment and summary wording', () => {
    for (const pending of [
      'Pending',
      'vorgemerkt',
      'Umsatz vorgemerkt',
      'En attente',
      'pendiente',
      'in sospeso',
      'In behandeling',
    ]) {
      expect(isPendingWord(pending), pending).toBe(true);
    }
    expect(isPendingWord('Umsatz gebucht')).toBe(false);
    expect(isDeclinedWord('Canceled')).toBe(true);
    expect(isDeclinedWord('REVERTED')).toBe(true);
    expect(isDeclinedWord('Completed')).toBe(false);
    expect(isPaymentText('ONLINE PAYMENT - THANK YOU')).toBe(true);
    expect(isPaymentText('AUTOPAY 240115')).toBe(true);
    expect(isPaymentText('PAYMENTUS FEE')).toBe(false);
    for (const summary of [
      'Total',
      'Summe',
      'Endsaldo',
      'Solde final',
      'Saldo finale',
      'Closing balance',
    ]) {
      expect(isSummaryText(summary), summary).toBe(true);
    }
    expect(isBalanceRow('Opening Balance')).toBe(true);
    expect(isBalanceRow('BALANCE TRANSFER FEE')).toBe(false);
    // Bank of America's first data row.
    expect(isBalanceRow('Beginning balance as of 01/01/2023')).toBe(true);
    expect(isBalanceRow('Ending balance as of 01/31/2023')).toBe(true);
    expect(isBalanceRow('NEW BALANCE ATHLETICS #123')).toBe(false);
  });
});
