import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateRecoverySecret } from './recovery-key.js';
import { keyNeedles } from './test-fixtures/scan-files.js';
import {
  recoveryKeyPair,
  unwrapVaultKey,
  vaultKeyId,
  wrapVaultKey,
  type WrappedKey,
} from './vault-key-wrap.js';

const VAULT_ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const OTHER_VAULT_ID = '01890a5d-ac96-774b-bcce-b302099a8058';

/** A value that differs from `b64` for certain: its first byte inverted. */
function flipped(b64: string): string {
  const bytes = Buffer.from(b64, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 0xff;
  return bytes.toString('base64url');
}

function setup() {
  const secret = generateRecoverySecret();
  const pair = recoveryKeyPair(secret, VAULT_ID);
  const vaultKey = randomBytes(32);
  const wrapped = wrapVaultKey(vaultKey, pair.publicKey, VAULT_ID, 3);
  return { secret, pair, vaultKey, wrapped };
}

describe('vault key wrapped to the Recovery Key', () => {
  it('unwraps with the Recovery Key it was wrapped to', () => {
    const { secret, vaultKey, wrapped } = setup();
    const again = recoveryKeyPair(Buffer.from(secret), VAULT_ID); // derived afresh, as at recovery
    expect(unwrapVaultKey(wrapped, again, VAULT_ID)?.equals(vaultKey)).toBe(true);
    expect(wrapped).toMatchObject({ generation: 3, keyId: vaultKeyId(vaultKey) });
  });

  it('derives the same public key from the same Recovery Key, another from another', () => {
    const { secret, pair } = setup();
    expect(recoveryKeyPair(Buffer.from(secret), VAULT_ID).publicKey.equals(pair.publicKey)).toBe(
      true,
    );
    expect(
      recoveryKeyPair(Buffer.from(secret), OTHER_VAULT_ID).publicKey.equals(pair.publicKey),
    ).toBe(false);
  });

  it('opens nothing with another Recovery Key, or in another vault', () => {
    const { secret, wrapped } = setup();
    const other = Buffer.from(secret);
    other[0] = (other[0] as number) ^ 0xff;
    expect(unwrapVaultKey(wrapped, recoveryKeyPair(other, VAULT_ID), VAULT_ID)).toBeNull();
    expect(
      unwrapVaultKey(wrapped, recoveryKeyPair(secret, OTHER_VAULT_ID), OTHER_VAULT_ID),
    ).toBeNull();
    expect(unwrapVaultKey(wrapped, recoveryKeyPair(secret, VAULT_ID), OTHER_VAULT_ID)).toBeNull();
  });

  it('opens nothing once any part of the wrap is altered', () => {
    const { pair, wrapped } = setup();
    const altered: WrappedKey[] = [
      { ...wrapped, generation: wrapped.generation + 1 },
      { ...wrapped, keyId: wrapped.keyId.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
      { ...wrapped, ciphertext: flipped(wrapped.ciphertext) },
      { ...wrapped, tag: flipped(wrapped.tag) },
      { ...wrapped, nonce: flipped(wrapped.nonce) },
      { ...wrapped, ephemeralPublicKey: flipped(wrapped.ephemeralPublicKey) },
      { ...wrapped, ephemeralPublicKey: Buffer.alloc(31, 1).toString('base64url') },
    ];
    for (const wrap of altered) {
      expect(wrap).not.toEqual(wrapped);
      expect(unwrapVaultKey(wrap, pair, VAULT_ID)).toBeNull();
    }
  });

  it('never holds the vault key in the clear, and wraps the same key differently each time', () => {
    const { pair, vaultKey, wrapped } = setup();
    const text = Buffer.from(JSON.stringify(wrapped), 'latin1');
    for (const needle of keyNeedles('vault key', vaultKey)) {
      expect(text.includes(needle.bytes), needle.label).toBe(false);
    }
    const second = wrapVaultKey(vaultKey, pair.publicKey, VAULT_ID, 3);
    expect(second.ciphertext).not.toBe(wrapped.ciphertext);
    expect(second.keyId).toBe(wrapped.keyId);
  });

  it('names keys by an id that tells keys apart', () => {
    const key = randomBytes(32);
    const other = Buffer.from(key);
    other[0] = (other[0] as number) ^ 0xff;
    expect(vaultKeyId(key)).toMatch(/^[0-9a-f]{32}$/);
    expect(vaultKeyId(Buffer.from(key))).toBe(vaultKeyId(key));
    expect(vaultKeyId(other)).not.toBe(vaultKeyId(key));
  });
});
