import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { withKeychainRetry } from './keychain-retry.js';
import { decodeKey, encodeKey, type KeySlot, type KeyStore } from './key-store.js';

export const KEYCHAIN_SERVICE = 'Coffer';

/** Keychain account name of a vault key: `vault:<id>`, or `vault:<id>:next` mid-rekey. */
export function keychainAccount(vaultId: string, slot: KeySlot = 'current'): string {
  return slot === 'current' ? `vault:${vaultId}` : `vault:${vaultId}:next`;
}

/**
 * On Linux @napi-rs/keyring silently falls back to the kernel keyring (keyutils) when no
 * Secret Service answers. Kernel keys vanish at reboot, which would lose the only copy of
 * the vault key, so Coffer pins the Secret Service and reports its absence instead.
 */
const ENTRY_OPTIONS: EntryOptions | undefined =
  process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;

export function keychainUnavailableMessage(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'linux':
      return (
        'The OS keychain is not reachable: no Secret Service answered on the D-Bus session bus. ' +
        'Install and run gnome-keyring (or KeePassXC with Secret Service integration enabled) ' +
        'in a desktop session with D-Bus (Debian/Ubuntu: apt install gnome-keyring dbus-user-session), ' +
        'or opt in to a key file with --key-file.'
      );
    case 'darwin':
      return 'The macOS Keychain is not accessible (is the login keychain unlocked?). Unlock it, or opt in to a key file with --key-file.';
    case 'win32':
      return 'Windows Credential Manager is not accessible. Sign in with a normal user profile, or opt in to a key file with --key-file.';
    default:
      return `No supported OS keychain on platform ${platform}. Opt in to a key file with --key-file.`;
  }
}

/** Vault keys in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
export class KeychainKeyStore implements KeyStore {
  readonly kind = 'keychain' as const;
  readonly warning = null;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async get(vaultId: string, slot: KeySlot = 'current'): Promise<Buffer | null> {
    const text = await this.call(() => this.entry(vaultId, slot).getPassword());
    return text === null || text === undefined ? null : decodeKey(text, 'the OS keychain');
  }

  async set(vaultId: string, key: Buffer, slot: KeySlot = 'current'): Promise<void> {
    const text = encodeKey(key);
    await this.call(() => this.entry(vaultId, slot).setPassword(text));
  }

  async delete(vaultId: string, slot: KeySlot = 'current'): Promise<boolean> {
    return this.call(() => this.entry(vaultId, slot).deleteCredential());
  }

  private entry(vaultId: string, slot: KeySlot): AsyncEntry {
    return new AsyncEntry(this.service, keychainAccount(vaultId, slot), ENTRY_OPTIONS);
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await withKeychainRetry(op);
    } catch (error) {
      if (isCofferError(error)) throw error;
      // The native error names the platform failure (D-Bus, locked keychain); it never holds the key.
      const cause = error instanceof Error ? error.message : String(error);
      throw new CofferError('KEYCHAIN_UNAVAILABLE', keychainUnavailableMessage(), { cause });
    }
  }
}
