import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import { isCofferError } from '../errors/coffer-error.js';
import { uuidv7 } from '../ids/uuidv7.js';
import { ChangeSchema, CollectionSchema, parseChange, type Change } from './change.js';

const DEVICE = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const HLC = `001718000000000:000001:${DEVICE}`;

function change(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uuidv7(1_718_000_000_000),
    collection: 'transactions',
    recordId: uuidv7(1_718_000_000_000),
    op: 'upsert',
    fields: { amountMinor: -1234, currency: 'USD', payee: 'Café', lines: [{ a: 1 }] },
    base: { amountMinor: `001717000000000:000000:${DEVICE}`, currency: null },
    hlc: HLC,
    deviceId: DEVICE,
    ...overrides,
  };
}

describe('ChangeSchema', () => {
  it('matches the Change interface', () => {
    expectTypeOf<z.infer<typeof ChangeSchema>>().toEqualTypeOf<Change>();
  });

  it('accepts a well-formed change, upsert or delete', () => {
    expect(ChangeSchema.safeParse(change()).success).toBe(true);
    expect(ChangeSchema.safeParse(change({ op: 'delete', fields: {}, base: {} })).success).toBe(
      true,
    );
    expect(parseChange(change()).collection).toBe('transactions');
  });

  it('knows every collection', () => {
    expect(CollectionSchema.options).toEqual([
      'accounts',
      'categories',
      'payees',
      'transactions',
      'budgets',
      'clients',
      'quotes',
      'invoices',
      'payments',
      'recurring_schedules',
      'contracts',
      'receipts',
      'attachments',
      'settings',
      'transaction_reviews',
      'payee_rules',
      'import_profiles',
      'account_bank_ids',
    ]);
  });

  it.each([
    ['an unknown key', { extra: 1 }],
    ['a non-UUID id', { id: 'not-a-uuid' }],
    ['an uppercase id', { id: uuidv7().toUpperCase() }],
    ['an unknown collection', { collection: 'users' }],
    ['an empty recordId', { recordId: '' }],
    ['a recordId over 200 chars', { recordId: 'x'.repeat(201) }],
    ['a numeric recordId', { recordId: 42 }],
    ['an unknown op', { op: 'merge' }],
    ['fields that are not an object', { fields: [1, 2] }],
    ['a bad field name', { fields: { 'a.b': 1 } }],
    ['a base that is not an HLC', { base: { amountMinor: 'yesterday' } }],
    ['a malformed hlc', { hlc: '12:3:x' }],
    ['a bad deviceId', { deviceId: 'has space', hlc: '001718000000000:000001:has space' }],
    ['an hlc from another device', { hlc: '001718000000000:000001:other-device' }],
    ['a missing field', { hlc: undefined }],
  ])('refuses %s', (_label, overrides) => {
    expect(ChangeSchema.safeParse(change(overrides)).success).toBe(false);
  });

  it('accepts a recordId of exactly 200 chars', () => {
    expect(ChangeSchema.safeParse(change({ recordId: 'x'.repeat(200) })).success).toBe(true);
  });

  it('parseChange throws INVALID_INPUT naming the problem', () => {
    try {
      parseChange(change({ collection: 'users' }));
      expect.unreachable();
    } catch (error) {
      expect(isCofferError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as Error).message).toMatch(/collection/);
    }
    expect(() => parseChange(null)).toThrow(/Invalid change/);
  });

  it('never lets a __proto__ field reach the parsed object', () => {
    const parsed = parseChange(
      JSON.parse(
        JSON.stringify(change()).replace(
          '"amountMinor":-1234',
          '"__proto__":{"x":1},"amountMinor":-1234',
        ),
      ),
    );
    expect(Object.getPrototypeOf(parsed.fields)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed.fields, '__proto__')).toBe(false);
  });
});
