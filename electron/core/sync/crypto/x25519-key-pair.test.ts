import { createPrivateKey, diffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeOf, fixedBytes } from './test-fixtures/crypto-test-support.js';
import {
  exportPrivateKeyPkcs8,
  exportPrivateKeyRaw,
  generateX25519KeyPair,
  importPrivateKey,
  importPublicKey,
  sharedSecret,
} from './x25519-key-pair.js';

// RFC 7748 section 6.1: Alice's private and public keys.
const ALICE_PRIVATE = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const ALICE_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const BOB_PUBLIC = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
const SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

describe('X25519 device and user key pairs', () => {
  it('matches the RFC 7748 test vector', () => {
    const alice = importPrivateKey(Buffer.from(ALICE_PRIVATE, 'hex'));
    expect(alice.publicKey.toString('hex')).toBe(ALICE_PUBLIC);
    expect(sharedSecret(alice.privateKey, Buffer.from(BOB_PUBLIC, 'hex')).toString('hex')).toBe(
      SHARED,
    );
  });

  it('exports and imports the private half as raw bytes and as PKCS#8', () => {
    const pair = generateX25519KeyPair();
    expect(pair.publicKey.length).toBe(32);
    const raw = exportPrivateKeyRaw(pair.privateKey);
    const pkcs8 = exportPrivateKeyPkcs8(pair.privateKey);
    expect(raw.length).toBe(32);
    expect(pkcs8.length).toBe(48);
    expect(pkcs8.subarray(16).equals(raw)).toBe(true);
    for (const stored of [raw, pkcs8]) {
      const back = importPrivateKey(stored);
      expect(back.publicKey.equals(pair.publicKey)).toBe(true);
    }
    // Another tool reads our PKCS#8: Node's own parser, and the key agrees with the original.
    const other = generateX25519KeyPair();
    const viaTool = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(
      diffieHellman({ privateKey: viaTool, publicKey: importPublicKey(other.publicKey) }).equals(
        sharedSecret(other.privateKey, pair.publicKey),
      ),
    ).toBe(true);
  });

  it('gives each new pair its own keys', () => {
    const a = generateX25519KeyPair();
    const b = generateX25519KeyPair();
    expect(a.publicKey.equals(b.publicKey)).toBe(false);
  });

  it('refuses public keys of the wrong length or of low order', () => {
    const lowOrder = [
      Buffer.alloc(32),
      Buffer.from('01'.padEnd(64, '0'), 'hex'),
      // A point of order 8 (from the list in the X25519 literature).
      Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'),
    ];
    for (const bad of [Buffer.alloc(31, 9), Buffer.alloc(33, 9), ...lowOrder]) {
      expect(codeOf(() => importPublicKey(bad))).toBe('KEY_INVALID');
      expect(codeOf(() => sharedSecret(generateX25519KeyPair().privateKey, bad))).toBe(
        'KEY_INVALID',
      );
    }
  });

  it('refuses stored private keys of the wrong length or kind', () => {
    expect(codeOf(() => importPrivateKey(Buffer.alloc(31)))).toBe('KEY_INVALID');
    const ed25519Pkcs8 = Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'), // Ed25519's OID, not X25519's
      fixedBytes('not an x25519 key'),
    ]);
    expect(codeOf(() => importPrivateKey(ed25519Pkcs8))).toBe('KEY_INVALID');
    expect(codeOf(() => exportPrivateKeyRaw(importPublicKey(fixedBytes('p'))))).toBe('KEY_INVALID');
  });
});
