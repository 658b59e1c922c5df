import { describe, expect, it } from 'vitest';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import {
  assertFieldNames,
  decodeFieldClocks,
  encodeFieldClocks,
  encodeSingleClock,
  type DeviceRefLookup,
} from './field-clocks.js';

const H1 = '001750000000000:000000:dev-a';
const H2 = '001750000000001:000003:dev-a';
const H3 = '001765432109876:999999:0193a3f0-5c2e-7d11-8000-00000000beef';

const TRANSACTION_FIELDS = [
  'accountId',
  'date',
  'amountMinor',
  'currency',
  'payeeId',
  'categoryId',
  'notes',
  'importId',
  'importBatch',
  'importKey',
  'splits',
  'createdAt',
  'updatedAt',
];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isCofferError(error) ? error.code : 'not a CofferError';
  }
  return undefined;
}

describe('field clocks encoding', () => {
  it('writes a freshly inserted record as one compact HLC over all its fields', () => {
    const text = encodeSingleClock(['name', 'amountMinor', 'splits'], H1);
    expect(text).toBe(`${(1_750_000_000_000).toString(36)}.0.dev-a name amountMinor splits`);
    expect(decodeFieldClocks(text)).toEqual(
      new Map([
        ['name', H1],
        ['amountMinor', H1],
        ['splits', H1],
      ]),
    );
  });

  it("stores a new transaction's thirteen fields as a field-list code, not by name", () => {
    const text = encodeSingleClock(TRANSACTION_FIELDS, H3);
    expect(text).toBe(
      `${(1_765_432_109_876).toString(36)}.${(999_999).toString(36)}.0193a3f0-5c2e-7d11-8000-00000000beef=t1`,
    );
    expect(text.length).toBeLessThan(60);
    expect(JSON.stringify({ [H3]: TRANSACTION_FIELDS.join(' ') }).length).toBeGreaterThan(170);
    expect(decodeFieldClocks(text)).toEqual(new Map(TRANSACTION_FIELDS.map((f) => [f, H3])));
  });

  it('groups fields by HLC and round-trips, the known list included', () => {
    const clocks = new Map([
      ['name', H1],
      ['email', H2],
      ['notes', H1],
    ]);
    const text = encodeFieldClocks(clocks);
    expect(text.split(';')).toHaveLength(2);
    expect(decodeFieldClocks(text)).toEqual(clocks);

    const mixed = new Map(TRANSACTION_FIELDS.map((f) => [f, f === 'notes' ? H2 : H3]));
    expect(decodeFieldClocks(encodeFieldClocks(mixed))).toEqual(mixed);
    const whole = new Map(TRANSACTION_FIELDS.map((f) => [f, H3]));
    expect(encodeFieldClocks(whole)).toBe(encodeSingleClock(TRANSACTION_FIELDS, H3));
  });

  it('still reads the first encoding, a JSON object of HLC to field names', () => {
    expect(decodeFieldClocks(JSON.stringify({ [H1]: 'name amountMinor splits' }))).toEqual(
      new Map([
        ['name', H1],
        ['amountMinor', H1],
        ['splits', H1],
      ]),
    );
    expect(decodeFieldClocks(JSON.stringify({ [H1]: 'name notes', [H2]: 'email' }))).toEqual(
      new Map([
        ['name', H1],
        ['notes', H1],
        ['email', H2],
      ]),
    );
    expect(decodeFieldClocks('{}')).toEqual(new Map());
  });

  it('refuses a clock naming a field list it does not know, prototype names included', () => {
    for (const code of ['t999', 'constructor', '__proto__', 'toString']) {
      expect(
        codeOf(() => decodeFieldClocks(`mc1k2.0.dev-a=${code}`)),
        code,
      ).toBe('VAULT_CORRUPT');
    }
    expect(codeOf(() => decodeFieldClocks('no-separator'))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => decodeFieldClocks('zz!.0.dev name'))).toBe('VAULT_CORRUPT');
  });

  it('accepts contract field names and refuses others', () => {
    expect(() => assertFieldNames(['name', 'amountMinor', 'line_2'])).not.toThrow();
    for (const bad of ['a b', 'x-y', '_private', '', 'a'.repeat(65)]) {
      expect(
        codeOf(() => assertFieldNames([bad])),
        bad,
      ).toBe('INTERNAL');
    }
  });
});

describe('device refs in field clocks', () => {
  const DEVICE = '0193a3f0-5c2e-7d11-8000-00000000beef';
  const HLC = `001750000000000:000004:${DEVICE}`;
  const refs: DeviceRefLookup = {
    refOf: (deviceId) => (deviceId === DEVICE ? 40 : undefined),
    deviceOf: (ref) => {
      if (ref !== 40) throw new CofferError('VAULT_CORRUPT', 'unknown ref');
      return DEVICE;
    },
  };

  it('decodes all three forms (JSON, compact with the device id, compact with a ref) to the same HLCs', () => {
    const json = JSON.stringify({ [HLC]: 'name notes' });
    const full = encodeSingleClock(['name', 'notes'], HLC);
    const withRef = encodeSingleClock(['name', 'notes'], HLC, refs);
    expect(full).toContain(DEVICE);
    expect(withRef).toBe(`${(1_750_000_000_000).toString(36)}.4.~14 name notes`);
    const expected = new Map([
      ['name', HLC],
      ['notes', HLC],
    ]);
    expect(decodeFieldClocks(json, refs)).toEqual(expected);
    expect(decodeFieldClocks(full, refs)).toEqual(expected);
    expect(decodeFieldClocks(withRef, refs)).toEqual(expected);
    // A device with no ref keeps its id.
    const other = '001750000000000:000004:dev-b';
    expect(encodeSingleClock(['name'], other, refs)).toContain('.dev-b name');
  });

  it('refuses a ref it cannot resolve, or one read without the vault', () => {
    expect(codeOf(() => decodeFieldClocks('mj2k4ab0.0.~15 name', refs))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => decodeFieldClocks('mj2k4ab0.0.~14 name'))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => decodeFieldClocks('mj2k4ab0.0.~ name', refs))).toBe('VAULT_CORRUPT');
    expect(codeOf(() => decodeFieldClocks('mj2k4ab0.0.~-1 name', refs))).toBe('VAULT_CORRUPT');
  });
});
