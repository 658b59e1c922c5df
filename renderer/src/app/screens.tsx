/**
 * The screens in the navigation, in order; the first is where the app opens. Each screen
 * lives in `screens/<name>/` with its own page model under `e2e/pages/`. Every screen but
 * the first is loaded when first opened, so the app starts on a small script.
 */
import { lazy, type ReactElement, type ReactNode } from 'react';
import { DashboardScreen } from '../screens/dashboard/DashboardScreen.js';
import { ReviewCountBadge } from '../screens/review/ReviewCountBadge.js';
import { SyncNavBadge } from '../screens/sync/SyncNavBadge.js';
import { WorkspaceNavGate } from '../screens/workspace/WorkspaceNavGate.js';

const AccountsScreenLazy = lazy(() =>
  import('../screens/accounts/AccountsScreen.js').then((m) => ({ default: m.AccountsScreen })),
);
const BudgetsScreenLazy = lazy(() =>
  import('../screens/budgets/BudgetsScreen.js').then((m) => ({ default: m.BudgetsScreen })),
);
const CategoriesScreenLazy = lazy(() =>
  import('../screens/categories/CategoriesScreen.js').then((m) => ({
    default: m.CategoriesScreen,
  })),
);
const ClientsScreenLazy = lazy(() =>
  import('../screens/clients/ClientsScreen.js').then((m) => ({ default: m.ClientsScreen })),
);
const ContractsScreenLazy = lazy(() =>
  import('../screens/contracts/ContractsScreen.js').then((m) => ({ default: m.ContractsScreen })),
);
const ExportScreenLazy = lazy(() =>
  import('../screens/export/ExportScreen.js').then((m) => ({ default: m.ExportScreen })),
);
const ImportScreenLazy = lazy(() =>
  import('../screens/import/ImportScreen.js').then((m) => ({ default: m.ImportScreen })),
);
const InvoicesScreenLazy = lazy(() =>
  import('../screens/invoices/InvoicesScreen.js').then((m) => ({ default: m.InvoicesScreen })),
);
const LedgerScreenLazy = lazy(() =>
  import('../screens/ledger/LedgerScreen.js').then((m) => ({ default: m.LedgerScreen })),
);
const QuotesScreenLazy = lazy(() =>
  import('../screens/quotes/QuotesScreen.js').then((m) => ({ default: m.QuotesScreen })),
);
const ReceiptsScreenLazy = lazy(() =>
  import('../screens/receipts/ReceiptsScreen.js').then((m) => ({ default: m.ReceiptsScreen })),
);
const RecurringScreenLazy = lazy(() =>
  import('../screens/recurring/RecurringScreen.js').then((m) => ({ default: m.RecurringScreen })),
);
const ReportsScreenLazy = lazy(() =>
  import('../screens/reports/ReportsScreen.js').then((m) => ({ default: m.ReportsScreen })),
);
const ReviewScreenLazy = lazy(() =>
  import('../screens/review/ReviewScreen.js').then((m) => ({ default: m.ReviewScreen })),
);
const SettingsScreenLazy = lazy(() =>
  import('../screens/settings/SettingsScreen.js').then((m) => ({ default: m.SettingsScreen })),
);
const SyncScreenLazy = lazy(() =>
  import('../screens/sync/SyncScreen.js').then((m) => ({ default: m.SyncScreen })),
);
const WorkspaceScreenLazy = lazy(() =>
  import('../screens/workspace/WorkspaceScreen.js').then((m) => ({ default: m.WorkspaceScreen })),
);
const SecurityScreenLazy = lazy(() =>
  import('../screens/security/SecurityScreen.js').then((m) => ({ default: m.SecurityScreen })),
);
const RulesScreenLazy = lazy(() =>
  import('../screens/rules/RulesScreen.js').then((m) => ({ default: m.RulesScreen })),
);
export interface Screen {
  path: string;
  label: string;
  element: ReactElement;
  /** Shown after the label in the navigation (a count of things waiting). */
  badge?: ReactElement;
  /** Wraps the navigation entry: shows it only while its condition holds. */
  navGate?: (props: { children: ReactNode }) => ReactNode;
  /** Reached from another screen (a sub-page of Settings), not listed in the navigation. */
  hidden?: true;
}

export const SCREENS: readonly Screen[] = [
  { path: 'dashboard', label: 'Dashboard', element: <DashboardScreen /> },
  { path: 'accounts', label: 'Accounts', element: <AccountsScreenLazy /> },
  { path: 'transactions', label: 'Transactions', element: <LedgerScreenLazy /> },
  { path: 'categories', label: 'Categories', element: <CategoriesScreenLazy /> },
  { path: 'budgets', label: 'Budgets', element: <BudgetsScreenLazy /> },
  {
    path: 'review',
    label: 'Needs review',
    element: <ReviewScreenLazy />,
    badge: <ReviewCountBadge />,
  },
  { path: 'clients', label: 'Clients', element: <ClientsScreenLazy /> },
  { path: 'quotes', label: 'Quotes', element: <QuotesScreenLazy /> },
  { path: 'invoices', label: 'Invoices', element: <InvoicesScreenLazy /> },
  { path: 'recurring', label: 'Recurring', element: <RecurringScreenLazy /> },
  { path: 'contracts', label: 'Contracts', element: <ContractsScreenLazy /> },
  { path: 'receipts', label: 'Receipts', element: <ReceiptsScreenLazy /> },
  { path: 'reports', label: 'Reports', element: <ReportsScreenLazy /> },
  { path: 'import', label: 'Import', element: <ImportScreenLazy /> },
  { path: 'rules', label: 'Payee rules', element: <RulesScreenLazy /> },
  { path: 'export', label: 'Export and backup', element: <ExportScreenLazy /> },
  { path: 'sync', label: 'Sync', element: <SyncScreenLazy />, badge: <SyncNavBadge /> },
  {
    path: 'workspace',
    label: 'Workspace',
    element: <WorkspaceScreenLazy />,
    navGate: WorkspaceNavGate,
  },
  { path: 'settings', label: 'Settings', element: <SettingsScreenLazy /> },
  { path: 'settings/security', label: 'Security', element: <SecurityScreenLazy />, hidden: true },
];
