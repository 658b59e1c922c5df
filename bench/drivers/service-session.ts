import type { TransactionCreateInput } from '../../shared/domain/ledger.schema.js';
import { BudgetService } from '../../electron/core/ledger/budget.service.js';
import { TransactionService } from '../../electron/core/ledger/transaction.service.js';
import type { Vault } from '../../electron/core/vault/vault.js';

/** Size of the first ledger page the app shows when a vault opens. */
export const FIRST_PAGE_SIZE = 50;

/**
 * Our real services over a vault: what "ours" (encrypted vault) and "plain" (the same
 * services over an unencrypted connection) run in the timed regions. Services are made
 * once per session, as the app does, so their statement caches stay warm between runs.
 */
export class ServiceSession {
  readonly transactions: TransactionService;
  readonly budgets: BudgetService;

  constructor(readonly vault: Vault) {
    this.transactions = new TransactionService(vault);
    this.budgets = new BudgetService(vault);
  }

  insert(inputs: readonly TransactionCreateInput[]): number {
    return this.transactions.createMany(inputs).created;
  }

  budgetReport(month: string): number {
    return this.budgets.report(month).rows.length;
  }

  readByIds(ids: readonly string[]): number {
    let found = 0;
    for (const id of ids) if (this.transactions.get(id).id === id) found += 1;
    return found;
  }

  firstPage(accountId: string): number {
    return this.transactions.list({ accountId, limit: FIRST_PAGE_SIZE }).length;
  }

  close(): void {
    this.vault.close();
  }
}
