import { createDecipheriv, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lengthPrefixed } from './length-prefixed.js';
import { SEALED_BOX_VERSION, open, seal, type SealBinding } from './sealed-box.js';
import { errorOf, fixedBytes, flipByte } from './test-fixtures/crypto-test-support.js';
import { generateX25519KeyPair, importPrivateKey, sharedSecret } from './x25519-key-pair.js';

const BINDING: SealBinding = {
  purpose: 'coffer/test/v1',
  context: { userId: 'u-1', keyVersion: 2 },
};

/** Made once with seal() from fixed inputs; opening it pins the format across releases. */
const VECTOR_RECIPIENT = fixedBytes('recipient');
const VECTOR_BOX =
  '01fbabc4b44a8d68a561d36f81d9fa15d79a183f599155c2f87776b36f49f0a137d9002fcd173aa80575b0d281c7fdcab15745d2ab955a338f0a6059823825177d5668d38d7159feaec839de05121eb607';

function unwrapFails(box: Buffer, binding: SealBinding = BINDING, recipient = setup().recipient) {
  return errorOf(() => open(box, recipient, binding), 'KEY_UNWRAP_FAILED');
}

let shared: ReturnType<typeof makeSetup> | undefined;
function makeSetup() {
  const recipient = generateX25519KeyPair();
  const secret = fixedBytes('a secret to seal');
  return { recipient, secret, box: seal(secret, recipient.publicKey, BINDING) };
}
function setup() {
  shared ??= makeSetup();
  return shared;
}

describe('sealed box (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM)', () => {
  it('opens with the recipient key, purpose and context it was sealed for', () => {
    const { recipient, secret, box } = setup();
    expect(open(box, recipient, BINDING).equals(secret)).toBe(true);
    // The order in which context names are given does not matter.
    expect(
      open(box, recipient, { ...BINDING, context: { keyVersion: 2, userId: 'u-1' } }).equals(
        secret,
      ),
    ).toBe(true);
    expect(box.length).toBe(1 + 32 + secret.length + 16);
    expect(box[0]).toBe(SEALED_BOX_VERSION);
  });

  it('seals the same secret differently every time, and never holds it in the clear', () => {
    const { recipient, secret, box } = setup();
    const again = seal(secret, recipient.publicKey, BINDING);
    expect(again.equals(box)).toBe(false);
    expect(again.subarray(1, 33).equals(box.subarray(1, 33))).toBe(false); // fresh ephemeral key
    for (const sealed of [box, again]) {
      expect(sealed.includes(secret)).toBe(false);
      expect(sealed.includes(secret.subarray(0, 8))).toBe(false);
    }
  });

  it('opens the fixed test vector, and its key derivation is the documented one', () => {
    const recipient = importPrivateKey(VECTOR_RECIPIENT);
    const box = Buffer.from(VECTOR_BOX, 'hex');
    expect(open(box, recipient, BINDING).equals(fixedBytes('secret'))).toBe(true);
    // Re-derived here from docs/sync-keys.md, independently of sealed-box.ts.
    const ephemeral = box.subarray(1, 33);
    const info = lengthPrefixed([
      'coffer/sealed-box',
      1,
      'coffer/test/v1',
      'keyVersion',
      'number',
      '2',
      'userId',
      'string',
      'u-1',
    ]);
    const okm = Buffer.from(
      hkdfSync(
        'sha256',
        sharedSecret(recipient.privateKey, ephemeral),
        Buffer.concat([ephemeral, recipient.publicKey]),
        info,
        44,
      ),
    );
    const decipher = createDecipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
    decipher.setAuthTag(box.subarray(box.length - 16));
    const plain = Buffer.concat([
      decipher.update(box.subarray(33, box.length - 16)),
      decipher.final(),
    ]);
    expect(plain.equals(fixedBytes('secret'))).toBe(true);
  });

  it('refuses another private key', () => {
    const { box } = setup();
    const message = unwrapFails(box, BINDING, generateX25519KeyPair()).message;
    expect(message).not.toContain(box.toString('hex').slice(0, 16));
  });

  it('refuses another purpose or any changed context', () => {
    const { box } = setup();
    const others: SealBinding[] = [
      { ...BINDING, purpose: 'coffer/test/v2' },
      { ...BINDING, context: { userId: 'u-2', keyVersion: 2 } },
      { ...BINDING, context: { userId: 'u-1', keyVersion: 3 } },
      { ...BINDING, context: { userId: 'u-1', keyVersion: '2' } }, // same text, other type
      { ...BINDING, context: { userId: 'u-1' } },
      { ...BINDING, context: { userId: 'u-1', keyVersion: 2, workspaceId: 'w-1' } },
      { ...BINDING, context: { userid: 'u-1', keyVersion: 2 } },
    ];
    for (const other of others) unwrapFails(box, other);
  });

  it('refuses the box with any one byte changed, cut short or lengthened', () => {
    const { box } = setup();
    for (let i = 0; i < box.length; i++) unwrapFails(flipByte(box, i));
    unwrapFails(box.subarray(0, box.length - 1));
    unwrapFails(box.subarray(0, 48));
    unwrapFails(Buffer.concat([box, Buffer.from([0])]));
    unwrapFails(Buffer.alloc(0));
  });

  it('names a newer format, and refuses a low-order ephemeral key', () => {
    const { box } = setup();
    const newer = Buffer.from(box);
    newer[0] = SEALED_BOX_VERSION + 1;
    expect(unwrapFails(newer).message).toMatch(/format 2/);
    const lowOrder = Buffer.from(box);
    lowOrder.fill(0, 1, 33);
    expect(unwrapFails(lowOrder).message).toMatch(/not a usable point/);
  });
});

describe('sealing to a bad public key', () => {
  it('refuses a key of the wrong length or a low-order point before sealing anything', () => {
    for (const bad of [Buffer.alloc(31, 5), Buffer.alloc(32)]) {
      errorOf(() => seal(fixedBytes('s'), bad, BINDING), 'KEY_INVALID');
    }
  });
});
