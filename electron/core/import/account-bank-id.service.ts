import { BankAccountIdSchema, type AccountBankId } from '../../../shared/domain/import.schema.js';
import type { Account } from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { AccountService } from '../ledger/account.service.js';
import { IdGenerator } from '../ledger/id-generator.js';
import type { Fields } from '../ledger/record-fields.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { AccountBankIdRepository } from './account-bank-id.repository.js';

export function bankIdFields(b: AccountBankId): Fields {
  return {
    accountId: b.accountId,
    bankAccountId: b.bankAccountId,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

/**
 * Which account a bank's account id (OFX ACCTID, IBAN, MT940 :25:) belongs to, so each
 * statement of a multi-account file goes where it belongs without asking again.
 */
export class AccountBankIdService {
  private readonly repo: AccountBankIdRepository;
  private readonly accounts: AccountService;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new AccountBankIdRepository(vault.db);
    this.accounts = new AccountService(vault);
    this.ids = new IdGenerator(() => vault.now());
  }

  /** The account this bank id was remembered for, if any. */
  findAccount(bankAccountId: string): Account | undefined {
    const wanted = parseInput(BankAccountIdSchema, bankAccountId, 'bank account id');
    const bound = this.repo.findByBankId(wanted)[0];
    return bound === undefined ? undefined : this.accounts.resolveAccount(bound.accountId);
  }

  /** Idempotent for the same account; a bank id bound to another account is CONFLICT. */
  remember(accountRef: string, bankAccountId: string): AccountBankId {
    const wanted = parseInput(BankAccountIdSchema, bankAccountId, 'bank account id');
    return this.vault.transaction(() => {
      const account = this.accounts.resolveAccount(accountRef);
      const bound = this.repo.findByBankId(wanted)[0];
      if (bound !== undefined) {
        if (bound.accountId === account.id) return bound;
        const other = this.accounts.resolveAccount(bound.accountId);
        throw new CofferError(
          'CONFLICT',
          `Bank account ${wanted} belongs to account "${other.name}", not "${account.name}"`,
          { bankAccountId: wanted, accountId: other.id, requestedAccountId: account.id },
        );
      }
      const now = this.vault.now();
      const record: AccountBankId = {
        id: this.ids.next(),
        accountId: account.id,
        bankAccountId: wanted,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(record);
      this.vault.changes.record('account_bank_ids', record.id, 'upsert', bankIdFields(record));
      return record;
    });
  }

  listForAccount(accountRef: string): AccountBankId[] {
    return this.repo.listForAccount(this.accounts.resolveAccount(accountRef).id);
  }
}
