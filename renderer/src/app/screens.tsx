/**
 * The screens in the navigation, in order; the first is where the app opens. Each screen
 * lives in `screens/<name>/` with its own page model under `e2e/pages/`.
 */
import type { ReactElement } from 'react';
import { AccountsScreen } from '../screens/accounts/AccountsScreen.js';
import { BudgetsScreen } from '../screens/budgets/BudgetsScreen.js';
import { CategoriesScreen } from '../screens/categories/CategoriesScreen.js';
import { ClientsScreen } from '../screens/clients/ClientsScreen.js';
import { ContractsScreen } from '../screens/contracts/ContractsScreen.js';
import { DashboardScreen } from '../screens/dashboard/DashboardScreen.js';
import { ExportScreen } from '../screens/export/ExportScreen.js';
import { ImportScreen } from '../screens/import/ImportScreen.js';
import { InvoicesScreen } from '../screens/invoices/InvoicesScreen.js';
import { LedgerScreen } from '../screens/ledger/LedgerScreen.js';
import { QuotesScreen } from '../screens/quotes/QuotesScreen.js';
import { ReceiptsScreen } from '../screens/receipts/ReceiptsScreen.js';
import { RecurringScreen } from '../screens/recurring/RecurringScreen.js';
import { ReportsScreen } from '../screens/reports/ReportsScreen.js';
import { ReviewCountBadge } from '../screens/review/ReviewCountBadge.js';
import { ReviewScreen } from '../screens/review/ReviewScreen.js';
import { SettingsScreen } from '../screens/settings/SettingsScreen.js';

export interface Screen {
  path: string;
  label: string;
  element: ReactElement;
  /** Shown after the label in the navigation (a count of things waiting). */
  badge?: ReactElement;
}

export const SCREENS: readonly Screen[] = [
  { path: 'dashboard', label: 'Dashboard', element: <DashboardScreen /> },
  { path: 'accounts', label: 'Accounts', element: <AccountsScreen /> },
  { path: 'transactions', label: 'Transactions', element: <LedgerScreen /> },
  { path: 'categories', label: 'Categories', element: <CategoriesScreen /> },
  { path: 'budgets', label: 'Budgets', element: <BudgetsScreen /> },
  {
    path: 'review',
    label: 'Needs review',
    element: <ReviewScreen />,
    badge: <ReviewCountBadge />,
  },
  { path: 'clients', label: 'Clients', element: <ClientsScreen /> },
  { path: 'quotes', label: 'Quotes', element: <QuotesScreen /> },
  { path: 'invoices', label: 'Invoices', element: <InvoicesScreen /> },
  { path: 'recurring', label: 'Recurring', element: <RecurringScreen /> },
  { path: 'contracts', label: 'Contracts', element: <ContractsScreen /> },
  { path: 'receipts', label: 'Receipts', element: <ReceiptsScreen /> },
  { path: 'reports', label: 'Reports', element: <ReportsScreen /> },
  { path: 'import', label: 'Import', element: <ImportScreen /> },
  { path: 'export', label: 'Export and backup', element: <ExportScreen /> },
  { path: 'settings', label: 'Settings', element: <SettingsScreen /> },
];
