/**
 * The screens in the navigation, in order; the first is where the app opens. Each screen
 * lives in `screens/<name>/` with its own page model under `e2e/pages/`.
 */
import type { ReactElement } from 'react';
import { AccountsScreen } from '../screens/accounts/AccountsScreen.js';
import { DashboardScreen } from '../screens/dashboard/DashboardScreen.js';
import { ExportScreen } from '../screens/export/ExportScreen.js';
import { ImportScreen } from '../screens/import/ImportScreen.js';
import { ReportsScreen } from '../screens/reports/ReportsScreen.js';

export interface Screen {
  path: string;
  label: string;
  element: ReactElement;
}

export const SCREENS: readonly Screen[] = [
  { path: 'dashboard', label: 'Dashboard', element: <DashboardScreen /> },
  { path: 'accounts', label: 'Accounts', element: <AccountsScreen /> },
  { path: 'reports', label: 'Reports', element: <ReportsScreen /> },
  { path: 'import', label: 'Import', element: <ImportScreen /> },
  { path: 'export', label: 'Export and backup', element: <ExportScreen /> },
];
