import { AppLockService, type AppLockOptions } from './app-lock/app-lock.service.js';
import { AttachmentService } from './attachments/attachment.service.js';
import { DocumentPdfService } from './documents/document-pdf.service.js';
import { AccountBankIdService } from './import/account-bank-id.service.js';
import { ImportProfileService } from './import/import-profile.service.js';
import { TransactionReviewService } from './import/transaction-review.service.js';
import { createInvoicingServices, type InvoicingServices } from './invoicing/invoicing-services.js';
import { AccountService } from './ledger/account.service.js';
import { BalanceService } from './ledger/balance.service.js';
import { BudgetService } from './ledger/budget.service.js';
import { CategoryService } from './ledger/category.service.js';
import { PayeeService } from './ledger/payee.service.js';
import { TransactionService } from './ledger/transaction.service.js';
import { ReportService } from './reports/report.service.js';
import { PayeeRuleService } from './rules/payee-rule.service.js';
import { SettingsService } from './settings/settings.service.js';
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
  /** Payee rules an import applies (rename, set category). */
  payeeRules: PayeeRuleService;
  /** Imported transactions flagged as possible duplicates, waiting for the user. */
  transactionReviews: TransactionReviewService;
  /** Saved readings of a bank's CSV layout, found by the file's header signature. */
  importProfiles: ImportProfileService;
  /** Which account a bank's account id belongs to (multi-account statements). */
  accountBankIds: AccountBankIdService;
  /** The dashboard and the money reports, per currency. */
  reports: ReportService;
  /** The document profile and logo printed on invoices and quotes; this device's preferences. */
  settings: SettingsService;
  /**
   * This device's app lock. One per open vault: its locked/unlocked state lives in it, and
   * the API layer asks it (`assertUnlocked`) before serving any other call.
   */
  appLock: AppLockService;
  /** Invoice and quote PDFs. */
  documents: DocumentPdfService;
}

export interface CoreServicesOptions {
  appLock?: AppLockOptions;
}

export function createCoreServices(vault: Vault, options: CoreServicesOptions = {}): CoreServices {
  const attachments = new AttachmentService(vault);
  const balances = new BalanceService(vault);
  const transactionReviews = new TransactionReviewService(vault);
  const invoicing = createInvoicingServices(vault, { attachments });
  const settings = new SettingsService(vault, attachments);
  return {
    vault,
    attachments,
    accounts: new AccountService(vault),
    categories: new CategoryService(vault),
    payees: new PayeeService(vault),
    transactions: new TransactionService(vault),
    budgets: new BudgetService(vault),
    balances,
    payeeRules: new PayeeRuleService(vault),
    transactionReviews,
    importProfiles: new ImportProfileService(vault),
    accountBankIds: new AccountBankIdService(vault),
    ...invoicing,
    reports: new ReportService(vault, {
      balances,
      invoices: invoicing.invoices,
      reviews: transactionReviews,
    }),
    settings,
    appLock: new AppLockService(vault, options.appLock),
    documents: new DocumentPdfService({
      invoices: invoicing.invoices,
      quotes: invoicing.quotes,
      clients: invoicing.clients,
      settings,
    }),
  };
}
