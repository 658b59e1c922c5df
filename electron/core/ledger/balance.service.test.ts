import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedgerFixture, type LedgerFixture } from './ledger-test-fixture.js';

let f: LedgerFixture;
const cleanups: Array<() => void> = [];
beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

describe('BalanceService', () => {
  it('derives balances from the opening balance and live transactions, as of a day', () => {
    const checking = f.accounts.create({
      name: 'Checking',
      currency: 'USD',
      openingBalanceMinor: 100_00,
    });
    f.accounts.create({ name: 'Card', currency: 'USD', kind: 'credit_card' });
    const yen = f.accounts.create({ name: 'Yen', currency: 'JPY', openingBalanceMinor: 5000 });
    const add = (accountId: string, date: string, amountMinor: number): string =>
      f.transactions.create({ accountId, date, amountMinor }).id;
    add('Checking', '2025-01-01', -25_00);
    add('Checking', '2025-01-31', 1_000_00);
    const gone = add('Checking', '2025-02-01', -1);
    add('Card', '2025-01-15', -42_50);
    add('Yen', '2025-01-15', -1200);
    f.transactions.delete(gone);

    expect(f.balances.balance('checking')).toEqual({
      accountId: checking.id,
      name: 'Checking',
      currency: 'USD',
      archived: false,
      balanceMinor: 100_00 - 25_00 + 1_000_00,
      asOf: null,
    });
    expect(f.balances.balance('Checking', { asOf: '2025-01-30' }).balanceMinor).toBe(75_00);
    expect(f.balances.balance('Checking', { asOf: '2025-01-31' }).balanceMinor).toBe(1_075_00);
    expect(f.balances.balance('Checking', { asOf: '2024-12-31' }).balanceMinor).toBe(100_00);
    expect(f.balances.balance(yen.id).balanceMinor).toBe(3800);

    expect(f.balances.balances().map((b) => [b.name, b.balanceMinor])).toEqual([
      ['Card', -42_50],
      ['Checking', 1_075_00],
      ['Yen', 3800],
    ]);
    expect(f.balances.balances({ asOf: '2025-01-14' }).map((b) => b.balanceMinor)).toEqual([
      0, 75_00, 5000,
    ]);

    f.accounts.archive('Card');
    expect(f.balances.balances().map((b) => b.name)).toEqual(['Checking', 'Yen']);
    expect(f.balances.balances({ includeArchived: true }).map((b) => b.name)).toEqual([
      'Card',
      'Checking',
      'Yen',
    ]);
  });

  it('follows edits: amount changes and moves between accounts', () => {
    f.accounts.create({ name: 'A', currency: 'EUR' });
    f.accounts.create({ name: 'B', currency: 'EUR' });
    const tx = f.transactions.create({ accountId: 'A', date: '2025-03-03', amountMinor: -500 });
    f.transactions.update(tx.id, { amountMinor: -700 });
    expect(f.balances.balance('A').balanceMinor).toBe(-700);
    f.transactions.update(tx.id, { accountId: 'B' });
    expect(f.balances.balance('A').balanceMinor).toBe(0);
    expect(f.balances.balance('B').balanceMinor).toBe(-700);
  });

  it('reports a total beyond the safe integer range instead of rounding it', () => {
    f.accounts.create({
      name: 'Huge',
      currency: 'USD',
      openingBalanceMinor: Number.MAX_SAFE_INTEGER,
    });
    f.transactions.create({ accountId: 'Huge', date: '2025-01-01', amountMinor: 1 });
    expect(f.attempt(() => f.balances.balance('Huge')).code).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('rejects bad queries', () => {
    f.accounts.create({ name: 'A', currency: 'EUR' });
    expect(f.attempt(() => f.balances.balance('A', { asOf: '2025-02-30' })).code).toBe(
      'INVALID_DATE',
    );
    expect(f.attempt(() => f.balances.balance('Nope')).code).toBe('NOT_FOUND');
  });
});
