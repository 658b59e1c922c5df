import {
  AccountCreateInputSchema,
  AccountUpdateInputSchema,
  type Account,
  type AccountCreateInput,
  type AccountUpdateInput,
} from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import type { Vault } from '../vault/vault.js';
import { AccountRepository } from './account.repository.js';
import { IdGenerator } from './id-generator.js';
import { nameKey } from './name-key.js';
import { parseInput } from '../validation/parse-input.js';
import { editedFields } from '../sync/edited-fields.js';
import { accountFields } from './record-fields.js';

export class AccountService {
  private readonly repo: AccountRepository;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new AccountRepository(vault.db);
    this.ids = new IdGenerator(() => vault.now());
  }

  create(input: AccountCreateInput): Account {
    const data = parseInput(AccountCreateInputSchema, input, 'account');
    return this.vault.transaction(() => {
      this.assertNameFree(data.name, null);
      const now = this.vault.now();
      const account: Account = {
        id: this.ids.next(),
        name: data.name,
        currency: data.currency,
        kind: data.kind,
        openingBalanceMinor: data.openingBalanceMinor,
        archived: false,
        createdAt: now,
        updatedAt: now,
      };
      this.repo.insert(account);
      this.vault.changes.record('accounts', account.id, 'upsert', accountFields(account));
      return account;
    });
  }

  /** `ref` is an id or a name. Changing the currency is refused once the account holds transactions in the old one. */
  update(ref: string, input: AccountUpdateInput): Account {
    const data = parseInput(AccountUpdateInputSchema, input, 'account');
    return this.vault.transaction(() => {
      const before = this.resolveAccount(ref);
      if (data.name !== undefined) this.assertNameFree(data.name, before.id);
      if (data.currency !== undefined && data.currency !== before.currency) {
        const others = this.repo.countLiveTransactionsNotIn(before.id, data.currency);
        if (others > 0) {
          throw new CofferError(
            'CURRENCY_MISMATCH',
            `Account "${before.name}" holds ${others} transaction(s) in ${before.currency}; its currency cannot change to ${data.currency}`,
          );
        }
      }
      const after: Account = {
        ...before,
        name: data.name ?? before.name,
        currency: data.currency ?? before.currency,
        kind: data.kind ?? before.kind,
        openingBalanceMinor: data.openingBalanceMinor ?? before.openingBalanceMinor,
        archived: data.archived ?? before.archived,
        updatedAt: this.vault.now(),
      };
      const changed = editedFields(accountFields(before), accountFields(after));
      if (changed === null) return before; // only updatedAt: nothing to write
      this.repo.update(after);
      this.vault.changes.record('accounts', after.id, 'upsert', changed);
      return after;
    });
  }

  archive(ref: string): Account {
    return this.update(ref, { archived: true });
  }

  unarchive(ref: string): Account {
    return this.update(ref, { archived: false });
  }

  /** Tombstones an account that holds no transactions; archive one that does. */
  delete(ref: string): void {
    this.vault.transaction(() => {
      const account = this.resolveAccount(ref);
      const count = this.repo.countLiveTransactions(account.id);
      if (count > 0) {
        throw new CofferError(
          'INVALID_STATE',
          `Account "${account.name}" holds ${count} transaction(s); archive it, or delete them first`,
        );
      }
      const now = this.vault.now();
      this.repo.tombstone(account.id, now);
      this.vault.changes.record('accounts', account.id, 'delete', {
        deletedAt: now,
        updatedAt: now,
      });
    });
  }

  get(ref: string): Account {
    return this.resolveAccount(ref);
  }

  list(options: { includeArchived?: boolean } = {}): Account[] {
    const all = this.repo.listAll();
    return options.includeArchived === true ? all : all.filter((a) => !a.archived);
  }

  /**
   * Finds a live account by id, or by name (case-insensitive, archived included).
   * NOT_FOUND when none matches; DUPLICATE when a name matches several (possible after
   * two devices created the same name offline), since the id then has to be used.
   */
  resolveAccount(ref: string): Account {
    const wanted = ref.trim();
    if (UUID_PATTERN.test(wanted)) {
      const byId = this.repo.findById(wanted);
      if (byId !== undefined) return byId;
    }
    const key = nameKey(wanted);
    const matches = this.repo.listAll().filter((a) => nameKey(a.name) === key);
    if (matches.length === 1 && matches[0] !== undefined) return matches[0];
    if (matches.length > 1) {
      throw new CofferError(
        'DUPLICATE',
        `Several accounts are named "${wanted}"; use the account id`,
        { ids: matches.map((a) => a.id) },
      );
    }
    throw new CofferError(
      'NOT_FOUND',
      UUID_PATTERN.test(wanted) ? `No account with id ${wanted}` : `No account named "${wanted}"`,
    );
  }

  /** The currency every live account uses, or null when there are none or several. */
  soleCurrency(): string | null {
    const currencies = new Set(this.repo.listAll().map((a) => a.currency));
    return currencies.size === 1 ? ([...currencies][0] ?? null) : null;
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const key = nameKey(name);
    const clash = this.repo.listAll().find((a) => a.id !== exceptId && nameKey(a.name) === key);
    if (clash !== undefined) {
      throw new CofferError('DUPLICATE', `An account named "${clash.name}" already exists`);
    }
  }
}
