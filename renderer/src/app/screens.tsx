/**
 * The screens in the navigation, in order; the first is where the app opens. Each screen
 * lives in `screens/<name>/` with its own page model under `e2e/pages/`.
 */
import type { ReactElement } from 'react';
import { AccountsScreen } from '../screens/accounts/AccountsScreen.js';
import { BudgetsScreen } from '../screens/budgets/BudgetsScreen.js';
import { CategoriesScreen } from '../screens/categories/CategoriesScreen.js';
import { LedgerScreen } from '../screens/ledger/LedgerScreen.js';
import { ReviewCountBadge } from '../screens/review/ReviewCountBadge.js';
import { ReviewScreen } from '../screens/review/ReviewScreen.js';

export interface Screen {
  path: string;
  label: string;
  element: ReactElement;
  /** Shown after the label in the navigation (a count of things waiting). */
  badge?: ReactElement;
}

export const SCREENS: readonly Screen[] = [
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
];
