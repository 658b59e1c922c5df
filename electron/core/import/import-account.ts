import type { Account } from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { AccountService } from '../ledger/account.service.js';
import type { Vault } from '../vault/vault.js';

/** The target account, refused before any parsing when it cannot take transactions. */
export function resolveImportAccount(vault: Vault, ref: string): Account {
  const account = new AccountService(vault).resolveAccount(ref);
  if (account.archived) {
    throw new CofferError(
      'INVALID_STATE',
      `Account "${account.name}" is archived; unarchive it to import into it`,
    );
  }
  return account;
}
