import { describe, expect, it } from 'vitest';
import { ChangeEnvelopeSchema, MAX_ENVELOPE_CIPHERTEXT_CHARS } from './change-envelope.js';

const GOOD = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  collection: 'transactions',
  keyVersion: 3,
  nonce: 'ddILzCC4gpeFBkXG',
  ciphertext: 'U7b6aO2KK6KsLsZ5J1DVp6ck_bHuEZioNvJu5SdGXcNW',
};

describe('change envelope schema', () => {
  it('accepts an envelope as encryptChange writes it', () => {
    expect(ChangeEnvelopeSchema.parse(GOOD)).toEqual(GOOD);
  });

  it('refuses extra or missing labels and malformed values', () => {
    const bad: unknown[] = [
      { ...GOOD, amount: 1 }, // nothing else travels in the clear
      { ...GOOD, id: GOOD.id.toUpperCase() },
      { ...GOOD, collection: 'secrets' },
      { ...GOOD, keyVersion: 0 },
      { ...GOOD, keyVersion: 1.5 },
      { ...GOOD, keyVersion: 2 ** 32 },
      { ...GOOD, nonce: 'ddILzCC4gpeFBkX' },
      { ...GOOD, nonce: 'ddILzCC4gpeFBkX=' },
      { ...GOOD, ciphertext: 'not base64url!' },
      { ...GOOD, ciphertext: 'x'.repeat(MAX_ENVELOPE_CIPHERTEXT_CHARS + 1) },
      { id: GOOD.id, collection: GOOD.collection, keyVersion: 3, nonce: GOOD.nonce },
    ];
    for (const envelope of bad)
      expect(ChangeEnvelopeSchema.safeParse(envelope).success).toBe(false);
  });
});
