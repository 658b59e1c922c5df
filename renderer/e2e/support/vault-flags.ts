/**
 * What only an import makes, made directly in the vault web mode has open: a second
 * connection to the same encrypted file (WAL lets both in), keyed from the same test
 * keyring, through the real review service.
 */
import { createCoreServices } from '../../../electron/core/core-services.js';
import { KeychainKeyStore } from '../../../electron/core/vault/keychain.key-store.js';
import { openVault } from '../../../electron/core/vault/vault.js';

/** Flags the newest transaction with `payee` as a possible duplicate of the older one. */
export async function flagPossibleDuplicate(vaultDir: string, payee: string): Promise<void> {
  const vault = await openVault({ dir: vaultDir, keyStore: new KeychainKeyStore() });
  try {
    const services = createCoreServices(vault);
    const [newer, older] = services.transactions
      .list({ search: payee })
      .filter((t) => t.payeeName === payee);
    if (newer === undefined || older === undefined) {
      throw new Error(`Two transactions with payee ${payee} are needed`);
    }
    services.transactionReviews.flag({
      transactionId: newer.id,
      reason: 'possible_duplicate',
      relatedTransactionId: older.id,
      detail: 'Same amount and payee, one day apart',
    });
  } finally {
    vault.close();
  }
}
