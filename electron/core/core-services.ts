import { AttachmentService } from './attachments/attachment.service.js';
import { createInvoicingServices, type InvoicingServices } from './invoicing/invoicing-services.js';
import { AccountService } from './ledger/account.service.js';
import { BalanceService } from './ledger/balance.service.js';
import { BudgetService } from './ledger/budget.service.js';
import { CategoryService } from './ledger/category.service.js';
import { PayeeService } from './ledger/payee.service.js';
import { TransactionService } from './ledger/transaction.service.js';
import type { Vault } from './vault/vault.js';

/** Every service of the local engine over one open vault: what the CLI and the app call. */
export interface CoreServices extends InvoicingServices {
  vault: Vault;
  attachments: AttachmentService;
  accounts: AccountService;
  categories: CategoryService;
  payees: PayeeService;
  transactions: TransactionService;
  budgets: BudgetService;
  balances: BalanceService;
}

export function createCoreServices(vault: Vault): CoreServices {
  const attachments = new AttachmentService(vault);
  return {
    vault,
    attachments,
    accounts: new AccountService(vault),
    categories: new CategoryService(vault),
    payees: new PayeeService(vault),
    transactions: new TransactionService(vault),
    budgets: new BudgetService(vault),
    balances: new BalanceService(vault),
    ...createInvoicingServices(vault, { attachments }),
  };
}
