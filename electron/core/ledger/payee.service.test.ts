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

describe('PayeeService', () => {
  it('finds or creates by name, case-insensitively (ASCII and beyond)', () => {
    const acme = f.payees.findOrCreate(' ACME Corp ');
    expect(acme.name).toBe('ACME Corp');
    expect(f.payees.findOrCreate('acme corp').id).toBe(acme.id);
    const strasse = f.payees.findOrCreate('Straße Ölgeschäft');
    expect(f.payees.findOrCreate('STRAßE ÖLGESCHÄFT').id).toBe(strasse.id);
    expect(f.payees.list().map((p) => p.name)).toEqual(['ACME Corp', 'Straße Ölgeschäft']);
    expect(f.outbox().filter((e) => e.change.collection === 'payees')).toHaveLength(2);
  });

  it('creates, renames and refuses duplicates', () => {
    const p = f.payees.create({ name: 'Landlord' });
    expect(f.attempt(() => f.payees.create({ name: 'landlord' }))).toMatchObject({
      code: 'DUPLICATE',
      wrote: false,
    });
    const q = f.payees.create({ name: 'Grocer' });
    expect(f.attempt(() => f.payees.rename(q.id, { name: 'LANDLORD' }))).toMatchObject({
      code: 'DUPLICATE',
      wrote: false,
    });
    expect(f.payees.rename('landlord', { name: 'Mr Landlord' })).toMatchObject({
      id: p.id,
      name: 'Mr Landlord',
    });
    expect(f.attempt(() => f.payees.findOrCreate(''))).toMatchObject({
      code: 'INVALID_INPUT',
      wrote: false,
    });
  });

  it('shows the current payee name on transactions and deletes only unused payees', () => {
    f.accounts.create({ name: 'Cash', currency: 'USD' });
    const tx = f.transactions.create({
      accountId: 'Cash',
      date: '2025-01-01',
      amountMinor: -1,
      payeeName: 'Old name',
    });
    f.payees.rename('Old name', { name: 'New name' });
    expect(f.transactions.get(tx.id).payeeName).toBe('New name');
    expect(f.attempt(() => f.payees.delete('New name'))).toMatchObject({
      code: 'INVALID_STATE',
      wrote: false,
    });
    const unused = f.payees.create({ name: 'Unused' });
    f.payees.delete(unused.id);
    expect(f.attempt(() => f.payees.get('Unused')).code).toBe('NOT_FOUND');
  });
});
