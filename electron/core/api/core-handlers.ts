import type { CoreHandlers } from './api-handler.js';
import { APP_HANDLERS } from './handlers/app.handlers.js';
import { CONFLICT_HANDLERS } from './handlers/conflicts.handlers.js';
import { DEVICE_HANDLERS } from './handlers/devices.handlers.js';
import { EXPORT_HANDLERS } from './handlers/export.handlers.js';
import { IMPORT_HANDLERS } from './handlers/import.handlers.js';
import { REPORT_HANDLERS } from './handlers/report.handlers.js';
import {
  CLIENT_HANDLERS,
  CONTRACT_HANDLERS,
  INVOICE_HANDLERS,
  PAYMENT_HANDLERS,
  QUOTE_HANDLERS,
  RECEIPT_HANDLERS,
  RECURRING_HANDLERS,
} from './handlers/invoicing.handlers.js';
import {
  DOCUMENT_HANDLERS,
  LOCK_HANDLERS,
  SETTINGS_HANDLERS,
} from './handlers/settings.handlers.js';
import { RULE_HANDLERS } from './handlers/rules.handlers.js';
import { SECURITY_HANDLERS } from './handlers/security.handlers.js';
import { SYNC_HANDLERS } from './handlers/sync.handlers.js';
import { UPLOAD_HANDLERS } from './handlers/upload.handlers.js';
import { WORKSPACE_HANDLERS } from './handlers/workspace.handlers.js';
import {
  ACCOUNT_HANDLERS,
  BALANCE_HANDLERS,
  BUDGET_HANDLERS,
  CATEGORY_HANDLERS,
  REVIEW_HANDLERS,
  TRANSACTION_HANDLERS,
} from './handlers/ledger.handlers.js';

export const CORE_HANDLERS: CoreHandlers = {
  app: APP_HANDLERS,
  uploads: UPLOAD_HANDLERS,
  lock: LOCK_HANDLERS,
  settings: SETTINGS_HANDLERS,
  documents: DOCUMENT_HANDLERS,
  accounts: ACCOUNT_HANDLERS,
  balances: BALANCE_HANDLERS,
  categories: CATEGORY_HANDLERS,
  transactions: TRANSACTION_HANDLERS,
  budgets: BUDGET_HANDLERS,
  reviews: REVIEW_HANDLERS,
  rules: RULE_HANDLERS,
  clients: CLIENT_HANDLERS,
  invoices: INVOICE_HANDLERS,
  payments: PAYMENT_HANDLERS,
  quotes: QUOTE_HANDLERS,
  recurring: RECURRING_HANDLERS,
  contracts: CONTRACT_HANDLERS,
  receipts: RECEIPT_HANDLERS,
  imports: IMPORT_HANDLERS,
  reports: REPORT_HANDLERS,
  exports: EXPORT_HANDLERS,
  sync: SYNC_HANDLERS,
  devices: DEVICE_HANDLERS,
  conflicts: CONFLICT_HANDLERS,
  security: SECURITY_HANDLERS,
  workspace: WORKSPACE_HANDLERS,
};
