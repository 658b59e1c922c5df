import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { generateRecoverySecret } from './recovery-key.js';
import { rekeyVault } from './rekey.service.js';
import { openVault } from './vault.js';
import { readVaultManifest, vaultManifestPath, writeVaultManifest } from './vault-files.js';
import { recoveryKeyPair, unwrapVaultKey, wrapVaultKey } from './vault-key-wrap.js';

/**
 * Proof: vault.json is not encrypted, so whoever can write it must not be able to have the
 * vault key wrapped to a public key of their own — not by an open's repair, not by a rotation.
 */
let temp: TempVault | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

describe('the Recovery Key public key in vault.json', () => {
  it("is never used to wrap the vault key when it is not the vault's own", async () => {
    temp = await createTempVault();
    const { vault, dir, keyStore } = temp;
    const vaultId = vault.vaultId;
    const realKey = (await keyStore.get(vaultId)) as Buffer;
    vault.close();

    // An attacker's key pair, bound to this vault id, and a decoy wrap so vault.json parses.
    const attacker = recoveryKeyPair(generateRecoverySecret(), vaultId);
    const decoyKey = randomBytes(32);
    const manifest = readVaultManifest(dir);
    writeVaultManifest(dir, {
      ...manifest,
      recovery: {
        ...manifest.recovery!,
        publicKey: attacker.publicKey.toString('base64url'),
        wrappedKeys: [wrapVaultKey(decoyKey, attacker.publicKey, vaultId, 1)],
      },
    });
    const tampered = fs.readFileSync(vaultManifestPath(dir), 'utf8');

    // Opening still works, and does not "repair" vault.json with the real key.
    const reopened = await openVault({ dir, keyStore });
    expect(fs.readFileSync(vaultManifestPath(dir), 'utf8')).toBe(tampered);

    // A rotation refuses rather than wrap the new key to the attacker.
    const refused = await rekeyVault(reopened, keyStore).catch((error: unknown) => error);
    expect(isCofferError(refused) && refused.code).toBe('VAULT_CORRUPT');
    reopened.close();
    expect(((await keyStore.get(vaultId)) as Buffer).equals(realKey)).toBe(true);
    expect(await keyStore.get(vaultId, 'next')).toBeNull();

    const keysTheAttackerCanOpen = readVaultManifest(dir)
      .recovery!.wrappedKeys.map((wrapped) => unwrapVaultKey(wrapped, attacker, vaultId))
      .filter((key): key is Buffer => key !== null);
    expect(keysTheAttackerCanOpen.map((key) => key.equals(realKey))).toEqual([false]);
    const stillOpens = await openVault({ dir, keyStore });
    expect(stillOpens.vaultId).toBe(vaultId);
    stillOpens.close();
  });

  it('is the one made at init, also recorded inside the encrypted database', async () => {
    temp = await createTempVault();
    const { vault, dir } = temp;
    const { recovery } = readVaultManifest(dir);
    expect(
      vault.db.prepare("SELECT value FROM meta WHERE key = 'recovery_public_key'").pluck().get(),
    ).toBe(recovery?.publicKey);
  });
});
