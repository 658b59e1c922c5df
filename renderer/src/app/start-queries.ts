import type { QueryClient } from '@tanstack/react-query';
import { dashboardQuery } from '../screens/dashboard/DashboardScreen.js';
import { preloadCashFlowCharts } from '../screens/reports/LazyCashFlowCharts.js';
import { reviewCountQuery } from '../screens/review/ReviewCountBadge.js';
import { appStatusQuery } from './App.js';
import { SCREENS } from './screens.js';
import { preferencesQuery } from './use-preferences.js';

/**
 * Asks for the app's status and, beside it, what the open app will show first (the
 * navigation's count, the preferences and, when the app opens on the dashboard, its
 * numbers and its chart's code), instead of one after the other: the screens would only
 * ask once the status had come back and the app's frame had rendered. A refusal (no vault
 * open, the app locked) is kept as that query's error and asked again when its screen
 * mounts; nothing is shown from it, and the core answers a locked app no data.
 */
export function startQueries(queryClient: QueryClient, hash: string): void {
  void queryClient.prefetchQuery(appStatusQuery);
  void queryClient.prefetchQuery(preferencesQuery);
  void queryClient.prefetchQuery(reviewCountQuery);
  if (openingPath(hash) !== 'dashboard') return;
  void queryClient.prefetchQuery(dashboardQuery);
  void preloadCashFlowCharts();
}

/** The screen's path the app opens at for this address (`#/` leads to the first). */
export function openingPath(hash: string): string | undefined {
  const path = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return path === '' ? SCREENS[0]?.path : path;
}
