import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareHlc } from '../../../shared/hlc/hlc.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { createLedgerFixture, T0, type LedgerFixture } from './ledger-test-fixture.js';

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

function codeOf(fn: () => unknown): string | undefined {
  return f.attempt(fn).code;
}

/** Asserts the code and that no table (outbox included) changed. */
function expectRejected(fn: () => unknown, code: string): string {
  const result = f.attempt(fn);
  expect(result).toMatchObject({ code, wrote: false });
  return result.message ?? '';
}

describe('AccountService', () => {
  it('creates an account with defaults and records one change with every field', () => {
    const account = f.accounts.create({ name: ' Checking ', currency: 'USD' });
    expect(account).toEqual({
      id: expect.stringMatching(UUID_PATTERN) as string,
      name: 'Checking',
      currency: 'USD',
      kind: 'checking',
      openingBalanceMinor: 0,
      archived: false,
      createdAt: T0,
      updatedAt: T0,
    });
    const outbox = f.outbox();
    expect(outbox).toHaveLength(1);
    const change = outbox[0]?.change;
    expect(change).toMatchObject({ collection: 'accounts', recordId: account.id, op: 'upsert' });
    expect(change?.fields).toEqual({
      name: 'Checking',
      currency: 'USD',
      kind: 'checking',
      openingBalanceMinor: 0,
      archived: false,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(Object.values(change?.base ?? {}).every((b) => b === null)).toBe(true);
  });

  it('resolves by id or by name in any case, Unicode included', () => {
    const a = f.accounts.create({ name: 'Épargne', currency: 'EUR', kind: 'savings' });
    expect(f.accounts.resolveAccount(a.id)).toEqual(a);
    expect(f.accounts.resolveAccount('épargne')).toEqual(a);
    expect(f.accounts.resolveAccount('  ÉPARGNE ')).toEqual(a);
    expect(expectRejected(() => f.accounts.resolveAccount('Savings'), 'NOT_FOUND')).toBe(
      'No account named "Savings"',
    );
    expect(codeOf(() => f.accounts.get('01890a5d-ac96-774b-bcce-b302099a8057'))).toBe('NOT_FOUND');
  });

  it('refuses a duplicate name, case-insensitively, writing nothing', () => {
    f.accounts.create({ name: 'Checking', currency: 'USD' });
    expectRejected(() => f.accounts.create({ name: 'CHECKING', currency: 'EUR' }), 'DUPLICATE');
    const other = f.accounts.create({ name: 'Cash', currency: 'USD', kind: 'cash' });
    expectRejected(() => f.accounts.update(other.id, { name: 'checking' }), 'DUPLICATE');
  });

  it('validates input with a code per field and writes nothing', () => {
    for (const [input, code] of [
      [{ name: 'A', currency: 'USD', openingBalanceMinor: 10.5 }, 'INVALID_AMOUNT'],
      [{ name: 'A', currency: 'USD', openingBalanceMinor: Number.NaN }, 'INVALID_AMOUNT'],
      [{ name: 'A', currency: 'QQQ' }, 'UNKNOWN_CURRENCY'],
      [{ name: '', currency: 'USD' }, 'INVALID_INPUT'],
      [{ name: 'A', currency: 'USD', kind: 'piggy' }, 'INVALID_INPUT'],
    ] as const) {
      expect(expectRejected(() => f.accounts.create(input as never), code)).toMatch(
        /^Invalid account: /,
      );
    }
    expect(
      expectRejected(() => f.accounts.create({ name: 'A', currency: 'QQQ' }), 'UNKNOWN_CURRENCY'),
    ).toMatch(/currency/);
  });

  it('records only the changed fields on update, based on the HLC they replace', () => {
    const a = f.accounts.create({ name: 'Checking', currency: 'USD' });
    const created = f.outbox()[0]?.change;
    f.advance(1000);
    const updated = f.accounts.update('checking', { name: 'Main', kind: 'savings' });
    expect(updated).toMatchObject({
      id: a.id,
      name: 'Main',
      kind: 'savings',
      updatedAt: T0 + 1000,
      createdAt: T0,
    });
    const change = f.outbox()[1]?.change;
    expect(change?.fields).toEqual({ name: 'Main', kind: 'savings', updatedAt: T0 + 1000 });
    expect(change?.base).toEqual({
      name: created?.hlc,
      kind: created?.hlc,
      updatedAt: created?.hlc,
    });
    expect(compareHlc(change?.hlc ?? '', created?.hlc ?? '')).toBe(1);

    const before = f.counts();
    expect(f.accounts.update(a.id, { name: 'Main' })).toEqual(updated);
    expect(f.counts()).toEqual(before); // nothing changed, nothing recorded
  });

  it('changes the currency only while no transaction is in another one', () => {
    const a = f.accounts.create({ name: 'Checking', currency: 'USD' });
    expect(f.accounts.update(a.id, { currency: 'EUR' }).currency).toBe('EUR');
    f.transactions.create({ accountId: a.id, date: '2025-01-02', amountMinor: -500 });
    expectRejected(() => f.accounts.update(a.id, { currency: 'USD' }), 'CURRENCY_MISMATCH');
  });

  it('archives, lists and deletes', () => {
    const a = f.accounts.create({ name: 'Old', currency: 'USD' });
    const b = f.accounts.create({ name: 'Busy', currency: 'USD' });
    f.accounts.archive(a.id);
    expect(f.accounts.list().map((x) => x.name)).toEqual(['Busy']);
    expect(f.accounts.list({ includeArchived: true }).map((x) => x.name)).toEqual(['Busy', 'Old']);
    expect(f.accounts.resolveAccount('old').archived).toBe(true);
    expect(f.accounts.unarchive('old').archived).toBe(false);

    f.transactions.create({ accountId: 'Busy', date: '2025-01-02', amountMinor: 100 });
    expectRejected(() => f.accounts.delete(b.id), 'INVALID_STATE');

    f.accounts.delete('old');
    expect(codeOf(() => f.accounts.get(a.id))).toBe('NOT_FOUND');
    const last = f.outbox().at(-1)?.change;
    expect(last).toMatchObject({
      collection: 'accounts',
      recordId: a.id,
      op: 'delete',
      fields: { deletedAt: T0, updatedAt: T0 },
    });
    // The name is free again once the old account is a tombstone.
    expect(f.accounts.create({ name: 'Old', currency: 'USD' }).id).not.toBe(a.id);
  });

  it('knows when every account shares one currency', () => {
    expect(f.accounts.soleCurrency()).toBeNull();
    f.accounts.create({ name: 'A', currency: 'JPY' });
    expect(f.accounts.soleCurrency()).toBe('JPY');
    f.accounts.create({ name: 'B', currency: 'EUR' });
    expect(f.accounts.soleCurrency()).toBeNull();
  });
});
