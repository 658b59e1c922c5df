import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../shared/sync/change.js';
import { AccountService } from '../ledger/account.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { AccountBankIdService } from './account-bank-id.service.js';
import { expectCofferError } from './testing/import-test-helpers.js';
import { ImportProfileService } from './import-profile.service.js';
import { TransactionReviewService } from './transaction-review.service.js';

let temp: TempVault;

beforeEach(async () => {
  temp = await createTempVault({ outbox: true });
});
afterEach(() => temp.cleanup());

const changesOf = (collection: string): Change[] =>
  temp.vault.changes
    .pending(100_000)
    .map((e) => e.change)
    .filter((c) => c.collection === collection);

const rejects = (fn: () => unknown) => expectCofferError(Promise.resolve().then(fn));

describe('TransactionReviewService', () => {
  it('flags, lists open flags, keeps or deletes (tombstoning the transaction), recording each change', async () => {
    const account = new AccountService(temp.vault).create({ name: 'Checking', currency: 'USD' });
    const txs = new TransactionService(temp.vault);
    const a = txs.create({ accountId: account.id, date: '2025-01-01', amountMinor: -100 });
    const b = txs.create({ accountId: account.id, date: '2025-01-02', amountMinor: -100 });
    const c = txs.create({ accountId: account.id, date: '2025-01-03', amountMinor: -100 });
    const reviews = new TransactionReviewService(temp.vault);
    const first = reviews.flag({
      transactionId: b.id,
      reason: 'possible_duplicate',
      relatedTransactionId: a.id,
      detail: 'same amount',
    });
    const second = reviews.flag({ transactionId: c.id, reason: 'possible_duplicate' });
    expect(reviews.openCount()).toBe(2);
    expect(reviews.listOpen().map((r) => r.id)).toEqual([first.id, second.id]);
    const d = txs.create({ accountId: account.id, date: '2025-01-04', amountMinor: -100 });
    reviews.flag({ transactionId: d.id, reason: 'possible_duplicate' });
    txs.delete(d.id);
    // Deleted another way, its flag is moot: not listed, not counted.
    expect(reviews.openCount()).toBe(2);
    expect(changesOf('transaction_reviews')[0]).toMatchObject({
      recordId: first.id,
      op: 'upsert',
      fields: {
        transactionId: b.id,
        reason: 'possible_duplicate',
        relatedTransactionId: a.id,
        detail: 'same amount',
        resolution: null,
        createdAt: first.createdAt,
        updatedAt: first.updatedAt,
      },
    });

    expect(reviews.resolve(first.id, 'keep').resolution).toBe('kept');
    expect(txs.get(b.id).id).toBe(b.id);
    expect(reviews.resolve(second.id, 'delete').resolution).toBe('deleted');
    expect((await rejects(() => txs.get(c.id))).code).toBe('NOT_FOUND');
    expect(reviews.openCount()).toBe(0);
    expect(
      changesOf('transaction_reviews')
        .slice(3)
        .map((ch) => ch.fields['resolution']),
    ).toEqual(['kept', 'deleted']);
    expect((await rejects(() => reviews.resolve(first.id, 'delete'))).code).toBe('INVALID_STATE');
    expect(txs.get(b.id).id).toBe(b.id);
    expect((await rejects(() => reviews.resolve(first.id, 'maybe' as 'keep'))).code).toBe(
      'INVALID_INPUT',
    );
    expect((await rejects(() => reviews.resolve('not-an-id', 'keep'))).code).toBe('NOT_FOUND');
  });
});

describe('ImportProfileService', () => {
  it('saves one profile per (format, signature), replacing its settings, and finds, lists and removes it', async () => {
    const profiles = new ImportProfileService(temp.vault);
    const saved = profiles.save({
      format: 'csv',
      signature: 'date|amount|payee',
      settings: { mapping: { date: 'Date' }, dateFormat: 'DD/MM/YYYY' },
    });
    expect(changesOf('import_profiles')[0]?.fields).toEqual({
      format: 'csv',
      signature: 'date|amount|payee',
      name: '',
      settings: '{"mapping":{"date":"Date"},"dateFormat":"DD/MM/YYYY"}',
      accountId: null,
      createdAt: saved.createdAt,
      updatedAt: saved.updatedAt,
    });
    const again = profiles.save({
      format: 'csv',
      signature: 'date|amount|payee',
      settings: { dateFormat: 'MM/DD/YYYY' },
    });
    expect(again.id).toBe(saved.id);
    expect(profiles.find('csv', 'date|amount|payee')?.settings).toEqual({
      dateFormat: 'MM/DD/YYYY',
    });
    expect(profiles.find('ofx', 'date|amount|payee')).toBeUndefined();
    expect(profiles.list()).toHaveLength(1);
    expect(changesOf('import_profiles')).toHaveLength(2);
    profiles.remove(saved.id);
    expect(profiles.find('csv', 'date|amount|payee')).toBeUndefined();
    expect(changesOf('import_profiles')[2]).toMatchObject({ op: 'delete' });
    expect((await rejects(() => profiles.remove(saved.id))).code).toBe('NOT_FOUND');
    expect(
      (await rejects(() => profiles.save({ format: 'xls' as 'csv', signature: 's', settings: {} })))
        .code,
    ).toBe('INVALID_INPUT');
  });
});

describe('AccountBankIdService', () => {
  it('remembers a bank id once per account and refuses binding it to another account', async () => {
    const accounts = new AccountService(temp.vault);
    const checking = accounts.create({ name: 'Checking', currency: 'USD' });
    const savings = accounts.create({ name: 'Savings', currency: 'USD' });
    const bankIds = new AccountBankIdService(temp.vault);
    expect(bankIds.findAccount('123456789')).toBeUndefined();
    const first = bankIds.remember('Checking', ' 123456789 ');
    expect(bankIds.remember(checking.id, '123456789').id).toBe(first.id);
    expect(changesOf('account_bank_ids')).toHaveLength(1);
    expect(changesOf('account_bank_ids')[0]?.fields).toEqual({
      accountId: checking.id,
      bankAccountId: '123456789',
      createdAt: first.createdAt,
      updatedAt: first.updatedAt,
    });
    expect(bankIds.findAccount('123456789')?.id).toBe(checking.id);
    const conflict = await rejects(() => bankIds.remember('Savings', '123456789'));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toMatch(/"Checking".*"Savings"/);
    expect(bankIds.listForAccount('Savings')).toEqual([]);
    bankIds.remember(savings.id, 'DE89370400440532013000');
    expect(bankIds.listForAccount('Checking').map((b) => b.bankAccountId)).toEqual(['123456789']);
    expect((await rejects(() => bankIds.remember('Checking', '  '))).code).toBe('INVALID_INPUT');
  });
});
