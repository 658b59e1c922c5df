import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, type Change, type Collection } from '../../../../shared/sync/change.js';
import {
  ChangeEnvelopeSchema,
  type ChangeEnvelope,
} from '../../../../shared/sync/change-envelope.js';
import { canonicalJson } from './canonical-json.js';
import {
  ROTATE_AFTER_CHANGES,
  decryptChange,
  encryptChange,
  keyVersionNeedsRotation,
} from './change-cipher.js';
import { lengthPrefixed } from './length-prefixed.js';
import { pad, padmeLength } from './padme.js';
import { codeOf, errorOf, fixedBytes } from './test-fixtures/crypto-test-support.js';
import { generateWorkspaceKey, type WorkspaceKey } from './workspace-key.js';
import { WorkspaceKeyring } from './workspace-keyring.js';

const WS = 'ws-books';
const CHANGE: Change = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  collection: 'transactions',
  recordId: 'r-1',
  op: 'upsert',
  fields: { amount: 1250, payee: 'Café Zoë', notes: null },
  base: { amount: null },
  hlc: '001718000000000:000007:dev-a',
  deviceId: 'dev-a',
};
const VECTOR_KEY: WorkspaceKey = {
  workspaceId: 'ws-1',
  version: 3,
  key: fixedBytes('workspace key'),
};
/** Made once by encryptChange(CHANGE, VECTOR_KEY); decrypting it pins the format. */
const VECTOR: ChangeEnvelope = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  collection: 'transactions',
  keyVersion: 3,
  nonce: 'ddILzCC4gpeFBkXG',
  ciphertext:
    'U7b6aO2KK6KsLsZ5J1DVp6ck_bHuEZioNvJu5SdGXcNWStyuOs9N4ALmMYsY6dRwelwM3jcUJ8Aj4foaAoEnfnOO046AA0qAvFrCIg3_c_diKCxoMt3AQ8U_cCTVqQd1YQaetpeZQ6xjP_-KKKWyknTAQicLN_rnPuqBqiVWCkbXlcPQTU2bjkD4DVNlt0UwPiqOp95Kx5dmqQfi3DhGb9C9cJrh_bxwPjABf8JxtYBQCu56Ifkk49OufTS1rP2x',
};

function ring(...keys: WorkspaceKey[]): WorkspaceKeyring {
  return new WorkspaceKeyring(keys[0]?.workspaceId ?? WS, keys);
}

/** `b64` with its byte `index` inverted: provably different. */
function flipB64(b64: string, index: number): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[index] = (bytes[index] as number) ^ 0xff;
  return bytes.toString('base64url');
}

function bodyLength(change: Change): number {
  const { op, recordId, fields, base, hlc, deviceId } = change;
  return Buffer.byteLength(canonicalJson({ op, recordId, fields, base, hlc, deviceId }));
}

/** Encrypts `padded` under `key` with the envelope's AAD, as a member with the key could. */
function sealRaw(
  key: WorkspaceKey,
  label: Omit<ChangeEnvelope, 'nonce' | 'ciphertext'>,
  padded: Buffer,
) {
  const nonce = fixedBytes('raw nonce').subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(
    lengthPrefixed([
      'coffer/change/v1',
      key.workspaceId,
      label.id,
      label.collection,
      label.keyVersion,
    ]),
  );
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final(), cipher.getAuthTag()]);
  return {
    ...label,
    nonce: nonce.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
}

describe('change envelope', () => {
  it('round-trips a change, with only id, collection and key version in the clear', () => {
    const key = generateWorkspaceKey(WS, 1);
    const envelope = encryptChange(CHANGE, key);
    expect(ChangeEnvelopeSchema.parse(envelope)).toEqual(envelope);
    expect(Object.keys(envelope).sort()).toEqual([
      'ciphertext',
      'collection',
      'id',
      'keyVersion',
      'nonce',
    ]);
    expect(envelope).toMatchObject({ id: CHANGE.id, collection: 'transactions', keyVersion: 1 });
    const text = JSON.stringify(envelope);
    for (const secret of ['Café', '1250', 'r-1', 'dev-a', 'upsert', 'payee', '001718000000000']) {
      expect(text).not.toContain(secret);
    }
    expect(decryptChange(envelope, ring(key))).toEqual(CHANGE);
  });

  it('decrypts the fixed test vector', () => {
    expect(decryptChange(VECTOR, ring(VECTOR_KEY))).toEqual(CHANGE);
  });

  it('gives every different change its own 96-bit nonce', () => {
    const key = generateWorkspaceKey(WS, 1);
    const nonces = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = `01890a5d-ac96-774b-bcce-${i.toString(16).padStart(12, '0')}`;
      nonces.add(encryptChange({ ...CHANGE, id }, key).nonce);
    }
    expect(nonces.size).toBe(2000);
    expect(Buffer.from([...nonces][0] as string, 'base64url').length).toBe(12);
    // One field, the key version or the key itself changed: another nonce each time.
    const base = encryptChange(CHANGE, key).nonce;
    const others = [
      encryptChange({ ...CHANGE, fields: { ...CHANGE.fields, amount: 1251 } }, key),
      encryptChange({ ...CHANGE, collection: 'clients' }, key),
      encryptChange(CHANGE, generateWorkspaceKey(WS, 2)),
      encryptChange(CHANGE, { ...key, key: generateWorkspaceKey(WS, 1).key }),
    ].map((envelope) => envelope.nonce);
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('encrypts the same change under the same key to the same bytes, so a retried push is identical', () => {
    const key = generateWorkspaceKey(WS, 1);
    const first = encryptChange(CHANGE, key);
    expect(encryptChange(structuredClone(CHANGE), key)).toEqual(first);
    expect(decryptChange(first, ring(key))).toEqual(CHANGE);
  });

  it('refuses an envelope whose workspace, id, collection, key version, nonce or ciphertext changed', () => {
    const v1 = generateWorkspaceKey(WS, 1);
    const v2 = generateWorkspaceKey(WS, 2);
    const envelope = encryptChange(CHANGE, v1);
    const both = ring(v1, v2);
    const otherCollection = COLLECTIONS.find(
      (c) => c !== CHANGE.collection,
    ) as Change['collection'];
    const altered: ChangeEnvelope[] = [
      { ...envelope, id: '01890a5d-ac96-774b-bcce-b302099a8058' },
      { ...envelope, collection: otherCollection },
      { ...envelope, keyVersion: 2 },
      { ...envelope, nonce: flipB64(envelope.nonce, 0) },
      { ...envelope, nonce: flipB64(envelope.nonce, 11) },
      { ...envelope, nonce: envelope.nonce.slice(0, 12) },
      { ...envelope, ciphertext: flipB64(envelope.ciphertext, 0) },
      {
        ...envelope,
        ciphertext: flipB64(
          envelope.ciphertext,
          Buffer.from(envelope.ciphertext, 'base64url').length - 1,
        ),
      },
      { ...envelope, ciphertext: envelope.ciphertext.slice(0, -4) },
      { ...envelope, ciphertext: '' },
    ];
    for (const bad of altered) {
      expect(bad).not.toEqual(envelope);
      const error = errorOf(() => decryptChange(bad, both), 'CHANGE_DECRYPT_FAILED');
      expect(error.message).not.toContain('Café');
    }
    // Another workspace with a key of the same version: the workspace id is in the AAD.
    const elsewhere = new WorkspaceKeyring('ws-other', [{ ...v1, workspaceId: 'ws-other' }]);
    errorOf(() => decryptChange(envelope, elsewhere), 'CHANGE_DECRYPT_FAILED');
    errorOf(() => decryptChange({ ...envelope, keyVersion: 9 }, both), 'KEY_VERSION_UNKNOWN');
    errorOf(
      () => decryptChange(envelope, ring(generateWorkspaceKey(WS, 1))),
      'CHANGE_DECRYPT_FAILED',
    );
    expect(decryptChange(envelope, both)).toEqual(CHANGE);
  });

  it('hides the size of an amount within a PADMÉ bucket', () => {
    const key = generateWorkspaceKey(WS, 1);
    let sameBucket = 0;
    for (let notes = 0; notes < 256; notes++) {
      const small = {
        ...CHANGE,
        fields: { ...CHANGE.fields, amount: 1, notes: 'n'.repeat(notes) },
      };
      const large = { ...small, fields: { ...small.fields, amount: 1_000_000_000 } };
      expect(bodyLength(large) - bodyLength(small)).toBe(9);
      const sealedLength = (c: Change) =>
        Buffer.from(encryptChange(c, key).ciphertext, 'base64url').length;
      const a = sealedLength(small);
      const b = sealedLength(large);
      expect(a).toBe(padmeLength(bodyLength(small) + 1) + 16);
      expect(b).toBe(padmeLength(bodyLength(large) + 1) + 16);
      if (padmeLength(bodyLength(small) + 1) === padmeLength(bodyLength(large) + 1)) {
        expect(a).toBe(b);
        sameBucket++;
      } else {
        // Across a bucket edge the lengths differ by one bucket, never by the digits' count.
        expect(b - a).toBe(padmeLength(bodyLength(large) + 1) - padmeLength(bodyLength(small) + 1));
      }
    }
    expect(sameBucket).toBeGreaterThan(64);
  });

  it('refuses authentic bytes that are badly padded or not a change', () => {
    const key = generateWorkspaceKey(WS, 1);
    const label = { id: CHANGE.id, collection: CHANGE.collection, keyVersion: 1 };
    const noMarker = sealRaw(key, label, Buffer.alloc(padmeLength(40)));
    expect(codeOf(() => decryptChange(noMarker, ring(key)))).toBe('PADDING_INVALID');
    const notJson = sealRaw(key, label, pad(Buffer.from('not json')));
    expect(codeOf(() => decryptChange(notJson, ring(key)))).toBe('INVALID_INPUT');
    const notAChange = sealRaw(key, label, pad(Buffer.from(canonicalJson([1, 2]))));
    expect(codeOf(() => decryptChange(notAChange, ring(key)))).toBe('INVALID_INPUT');
    const { id: _id, collection: _collection, ...body } = CHANGE;
    const relabels = sealRaw(
      key,
      label,
      pad(Buffer.from(canonicalJson({ ...body, id: CHANGE.id }))),
    );
    expect(codeOf(() => decryptChange(relabels, ring(key)))).toBe('INVALID_INPUT');
    const badHlc = sealRaw(key, label, pad(Buffer.from(canonicalJson({ ...body, hlc: 'x' }))));
    expect(codeOf(() => decryptChange(badHlc, ring(key)))).toBe('INVALID_INPUT');
    // The same body, well formed, is accepted: the refusals above are about what they change.
    const good = sealRaw(key, label, pad(Buffer.from(canonicalJson(body))));
    expect(decryptChange(good, ring(key))).toEqual(CHANGE);
  });

  it('opens a change for a collection this version does not know, for the applier to keep', () => {
    const key = generateWorkspaceKey(WS, 1);
    const label = { id: CHANGE.id, collection: 'future_things' as Collection, keyVersion: 1 };
    const { id: _id, collection: _collection, ...body } = CHANGE;
    const sealed = sealRaw(key, label, pad(Buffer.from(canonicalJson(body))));
    expect(decryptChange(sealed, ring(key))).toEqual({ ...CHANGE, collection: 'future_things' });
  });

  it('asks for rotation long before the nonce-collision bound', () => {
    expect(ROTATE_AFTER_CHANGES).toBeLessThanOrEqual(2 ** 32 / 256);
    expect(keyVersionNeedsRotation(ROTATE_AFTER_CHANGES - 1)).toBe(false);
    expect(keyVersionNeedsRotation(ROTATE_AFTER_CHANGES)).toBe(true);
  });

  it('round-trips any change, and pads every ciphertext to a PADMÉ length (property)', () => {
    const key = generateWorkspaceKey(WS, 7);
    const keys = ring(generateWorkspaceKey(WS, 6), key);
    const fieldName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);
    const deviceId = fc.stringMatching(/^[0-9A-Za-z_-]{1,16}$/);
    const hlc = (device: string) =>
      fc
        .tuple(fc.integer({ min: 0, max: 10 ** 15 - 1 }), fc.integer({ min: 0, max: 999_999 }))
        .map(
          ([wall, counter]) =>
            `${String(wall).padStart(15, '0')}:${String(counter).padStart(6, '0')}:${device}`,
        );
    const change = deviceId
      .chain((device) =>
        fc.record({
          id: fc.uuid({ version: 7 }),
          collection: fc.constantFrom(...COLLECTIONS),
          recordId: fc.string({ minLength: 1, maxLength: 60 }),
          op: fc.constantFrom('upsert' as const, 'delete' as const),
          fields: fc.dictionary(
            fieldName,
            fc.oneof(
              fc.integer(),
              fc.string({ unit: 'grapheme', maxLength: 80 }),
              fc.constant(null),
              fc.boolean(),
            ),
            { maxKeys: 8 },
          ),
          base: fc.dictionary(fieldName, fc.option(hlc(device), { nil: null }), { maxKeys: 4 }),
          hlc: hlc(device),
          deviceId: fc.constant(device),
        }),
      )
      // A change is newer than every value it replaced: one that is not is refused on opening.
      .filter((c) => Object.values(c.base).every((b) => b === null || b < c.hlc));
    fc.assert(
      fc.property(change, (c: Change) => {
        const envelope = encryptChange(c, key);
        const sealedLength = Buffer.from(envelope.ciphertext, 'base64url').length;
        expect(sealedLength).toBe(padmeLength(bodyLength(c) + 1) + 16);
        expect(decryptChange(envelope, keys)).toEqual(c);
      }),
      { numRuns: 300 },
    );
  });
});
