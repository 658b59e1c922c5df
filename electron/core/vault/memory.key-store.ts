import { assertVaultKey, type KeySlot, type KeyStore } from './key-store.js';

/**
 * Test-only key store kept in process memory: lets service tests open real encrypted
 * vaults without a keychain. Never use it for a user's vault — the key dies with the process.
 */
export class MemoryKeyStore implements KeyStore {
  readonly kind = 'memory' as const;
  readonly warning = 'Test-only in-memory key store: the vault key is lost when the process exits.';
  private readonly keys = new Map<string, Buffer>();

  async get(vaultId: string, slot: KeySlot = 'current'): Promise<Buffer | null> {
    const key = this.keys.get(entryName(vaultId, slot));
    return key === undefined ? null : Buffer.from(key);
  }

  async set(vaultId: string, key: Buffer, slot: KeySlot = 'current'): Promise<void> {
    assertVaultKey(key);
    this.keys.set(entryName(vaultId, slot), Buffer.from(key));
  }

  async delete(vaultId: string, slot: KeySlot = 'current'): Promise<boolean> {
    const name = entryName(vaultId, slot);
    const key = this.keys.get(name);
    if (key === undefined) return false;
    key.fill(0);
    this.keys.delete(name);
    return true;
  }
}

function entryName(vaultId: string, slot: KeySlot): string {
  return slot === 'current' ? vaultId : `${vaultId}:next`;
}
