import type { QueryClient } from '@tanstack/react-query';
import { dashboardQuery } from '../screens/dashboard/DashboardScreen.js';
import { preloadCashFlowCharts } from '../screens/reports/LazyCashFlowCharts.js';
import { reviewCountQuery } from '../screens/review/ReviewCountBadge.js';
import { syncStatusQuery } from '../screens/sync/use-sync-status.js';
import { appStatusQuery } from './App.js';
import { SCREENS } from './screens.js';
import { preferencesQuery } from './use-preferences.js';

/**
 * Asks for the app's status and, as soon as it says the vault is open and unlocked, for
 * what the open app shows first (the navigation's count and sync state, the preferences and, when the app
 * opens on the dashboard, its numbers and its chart's code): before React has rendered the
 * app's frame, instead of each screen asking once it has. Nothing is asked of a closed or
 * locked vault, and the status goes out alone, so no other call can hold up its answer.
 */
export function startQueries(queryClient: QueryClient, hash: string): void {
  queryClient
    .fetchQuery(appStatusQuery)
    .then((status) => {
      if (status.vault !== 'open' || status.locked) return;
      void queryClient.prefetchQuery(preferencesQuery);
      void queryClient.prefetchQuery(reviewCountQuery);
      void queryClient.prefetchQuery(syncStatusQuery);
      if (openingPath(hash) !== 'dashboard') return;
      void queryClient.prefetchQuery(dashboardQuery);
      void preloadCashFlowCharts();
    })
    // VaultGate shows a failed status itself, from the same query.
    .catch(() => undefined);
}

/** The screen's path the app opens at for this address (`#/` leads to the first). */
export function openingPath(hash: string): string | undefined {
  const path = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return path === '' ? SCREENS[0]?.path : path;
}
