import type { Account, Category, Payee } from '../../../shared/domain/ledger.schema.js';
import type { AccountService } from './account.service.js';
import type { CategoryService } from './category.service.js';
import { nameKey } from './name-key.js';
import type { PayeeService } from './payee.service.js';

/**
 * Resolves account, category and payee references for one unit of work, remembering each
 * answer: a 100k-row import names the same few accounts and categories over and over.
 * Must live no longer than the vault transaction it serves.
 */
export class LedgerRefs {
  private readonly accounts = new Map<string, Account>();
  private readonly categories = new Map<string, Category>();
  private readonly payees = new Map<string, Payee>();
  private readonly payeesByText = new Map<string, Payee>();

  constructor(
    private readonly accountService: AccountService,
    private readonly categoryService: CategoryService,
    private readonly payeeService: PayeeService,
  ) {}

  account(ref: string): Account {
    let account = this.accounts.get(ref);
    if (account === undefined) {
      account = this.accountService.resolveAccount(ref);
      this.accounts.set(ref, account);
    }
    return account;
  }

  category(ref: string): Category {
    let category = this.categories.get(ref);
    if (category === undefined) {
      category = this.categoryService.resolveCategory(ref);
      this.categories.set(ref, category);
    }
    return category;
  }

  /** An existing payee by id (NOT_FOUND otherwise). */
  payeeById(id: string): Payee {
    let payee = this.payees.get(id);
    if (payee === undefined) {
      payee = this.payeeService.resolvePayee(id);
      this.payees.set(id, payee);
    }
    return payee;
  }

  /**
   * Finds or creates by name; the caller holds the vault transaction. The exact text is
   * remembered too: a statement repeats each payee text on many rows, and folding it
   * (Unicode normalisation) for every row is a visible share of a bulk import.
   */
  payeeByName(name: string): Payee {
    const exact = this.payeesByText.get(name);
    if (exact !== undefined) return exact;
    const key = `name:${nameKey(name)}`;
    let payee = this.payees.get(key);
    if (payee === undefined) {
      payee = this.payeeService.findOrCreateInTransaction(name);
      this.payees.set(key, payee);
    }
    this.payeesByText.set(name, payee);
    return payee;
  }
}
