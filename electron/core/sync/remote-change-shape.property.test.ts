import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRemoteChange,
  isPlainlyWellFormed,
  RemoteChangeSchema,
} from './remote-change-shape.js';

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
const deviceId = fc.string({
  unit: fc.constantFrom(...'abcXYZ019_-'),
  minLength: 1,
  maxLength: 12,
});
const fieldName = fc
  .tuple(fc.constantFrom(...'aZq'), fc.string({ unit: fc.constantFrom(...'az09_'), maxLength: 8 }))
  .map(([first, rest]) => first + rest);
const wall = fc.integer({ min: 1, max: 999_999_999_999_999 });

/** A change as a device writes it: every value in range, base older than the change. */
const wellFormed = fc
  .record({
    id: uuid,
    collection: fc.constantFrom('transactions', 'payees', 'future_things'),
    recordId: fc.string({ minLength: 1, maxLength: 40 }),
    op: fc.constantFrom('upsert', 'delete'),
    fields: fc.dictionary(fieldName, fc.jsonValue(), { maxKeys: 5 }),
    baseFields: fc.array(fieldName, { maxLength: 4 }),
    wallMs: wall,
    deviceId,
  })
  .map(({ baseFields, wallMs, ...rest }) => {
    const hlc = (ms: number) => `${String(ms).padStart(15, '0')}:000000:${rest.deviceId}`;
    const base: Record<string, string | null> = {};
    baseFields.forEach((name, i) => {
      base[name] = i % 2 === 0 ? null : hlc(wallMs - 1);
    });
    return { ...rest, base, hlc: hlc(wallMs) };
  });

/** A well-formed change with one thing changed: a key dropped, added, or given any value. */
const mutated = fc
  .tuple(
    wellFormed,
    fc.constantFrom(
      'id',
      'collection',
      'recordId',
      'op',
      'fields',
      'base',
      'hlc',
      'deviceId',
      'extra',
    ),
    fc.oneof(fc.anything(), fc.constant(undefined), fc.constant('drop')),
  )
  .map(([change, key, value]) => {
    const copy: Record<string, unknown> = { ...change };
    if (value === 'drop') delete copy[key];
    else copy[key] = value;
    return copy;
  });

const schemaAccepts = (value: unknown) => RemoteChangeSchema.safeParse(value).success;

describe('the fast shape check', () => {
  it('accepts what devices write, as the schema does', () => {
    fc.assert(
      fc.property(wellFormed, (change) => {
        expect(isPlainlyWellFormed(change)).toBe(true);
        expect(schemaAccepts(change)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never accepts what the schema refuses, and the answer is always the schema’s', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (value) => {
        const accepts = schemaAccepts(value);
        if (isPlainlyWellFormed(value)) expect(accepts).toBe(true);
        expect(checkRemoteChange(value).ok).toBe(accepts);
      }),
      { numRuns: 5_000 },
    );
  });

  it('says no to a class instance, an array or a base no older than the change', () => {
    const [change] = fc.sample(wellFormed, { numRuns: 1, seed: 7 });
    const valid = change as NonNullable<typeof change>;
    expect(isPlainlyWellFormed(Object.assign(Object.create({ inherited: 1 }), valid))).toBe(false);
    expect(isPlainlyWellFormed([valid])).toBe(false);
    expect(checkRemoteChange({ ...valid, base: { amountMinor: valid.hlc } })).toMatchObject({
      ok: false,
    });
  });
});
