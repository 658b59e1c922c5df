import {
  QueryClientProvider,
  queryOptions,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { coffer } from '../api/coffer-client.js';
import { ErrorMessage } from '../ui/ErrorMessage.js';
import { Progress } from '../ui/Progress.js';
import { AppShell } from './AppShell.js';
import { createQueryClient } from './query-client.js';
import { SCREENS } from './screens.js';
import { useActivityPing } from './use-activity-ping.js';
import { VaultRemovedNotice, type RemovalNotice } from './VaultRemovedNotice.js';
import { usePreferences } from './use-preferences.js';

export const APP_STATUS_KEY = ['app', 'status'] as const;

export const appStatusQuery = queryOptions({
  queryKey: APP_STATUS_KEY,
  queryFn: () => coffer().app.status({}),
});

// The first-run and lock screens are forms (react-aria fields, a file picker): an open,
// unlocked vault, which is most starts, never shows them, so they load only when needed.
const FirstRunScreen = lazy(() =>
  import('../screens/first-run/FirstRunScreen.js').then((m) => ({ default: m.FirstRunScreen })),
);
const LockScreen = lazy(() =>
  import('../screens/lock/LockScreen.js').then((m) => ({ default: m.LockScreen })),
);

export function App({ client }: { client?: QueryClient }): React.JSX.Element {
  const [queryClient] = useState(() => client ?? createQueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <VaultGate />
    </QueryClientProvider>
  );
}

/** First run until a vault is open; the lock screen while locked; then the app's screens. */
function VaultGate(): React.JSX.Element {
  const queryClient = useQueryClient();
  const status = useQuery(appStatusQuery);
  const locked = status.data?.locked === true;
  const open = status.data?.vault === 'open';
  // The event says it at once; the status still says it after a reload, until it is read.
  const [announced, setAnnounced] = useState<RemovalNotice | null>(null);
  const removal = announced ?? status.data?.removal ?? null;
  useActivityPing(open && !locked && removal === null);

  useEffect(
    () =>
      coffer().events.subscribe((event) => {
        if (event.name === 'vault.removed') {
          // The vault is gone: nothing read from it stays in memory either.
          queryClient.removeQueries({
            predicate: (query) => query.queryKey[0] !== APP_STATUS_KEY[0],
          });
          setAnnounced({
            code: String(event.data['code']),
            message: String(event.data['message']),
          });
          void queryClient.invalidateQueries({ queryKey: APP_STATUS_KEY });
          return;
        }
        if (event.name !== 'lock.changed') return;
        // Nothing read before the lock stays in memory while it is engaged.
        if (event.data['locked'] === true) {
          queryClient.removeQueries({
            predicate: (query) => query.queryKey[0] !== APP_STATUS_KEY[0],
          });
        }
        void queryClient.invalidateQueries({ queryKey: APP_STATUS_KEY });
      }),
    [queryClient],
  );

  if (removal !== null) {
    const acknowledge = (): void => {
      setAnnounced(null);
      void coffer()
        .app.acknowledgeRemoval({})
        .then(
          (next) => queryClient.setQueryData(APP_STATUS_KEY, next),
          () => queryClient.invalidateQueries({ queryKey: APP_STATUS_KEY }),
        );
    };
    return <VaultRemovedNotice removal={removal} onContinue={acknowledge} />;
  }
  if (status.isPending) return <Progress label="Starting Coffer" />;
  if (status.isError) return <ErrorMessage error={status.error} title="Coffer could not start" />;
  if (!open || locked) {
    return (
      <Suspense fallback={<Progress label="Starting Coffer" />}>
        {open ? <LockScreen /> : <FirstRunScreen status={status.data} />}
      </Suspense>
    );
  }
  return <OpenApp />;
}

function OpenApp(): React.JSX.Element {
  usePreferences();
  return <AppRouter />;
}

function AppRouter(): React.JSX.Element {
  const [router] = useState(() => {
    openFirstScreenAtRoot();
    return createHashRouter([
      {
        path: '/',
        element: <AppShell screens={SCREENS} />,
        children: [
          { index: true, element: <Navigate to={`/${SCREENS[0]?.path ?? ''}`} replace /> },
          ...SCREENS.map((screen) => ({ path: screen.path, element: screen.element })),
        ],
      },
    ]);
  });
  return <RouterProvider router={router} />;
}

/**
 * The app opens at `#/`, which leads to the first screen: the address is set to it before
 * the router reads it, so the first screen renders (and asks for its data) in the router's
 * first render instead of after a redirect's extra one. The index route still redirects
 * for a later visit to `#/`.
 */
function openFirstScreenAtRoot(): void {
  const first = SCREENS[0]?.path;
  const { hash } = window.location;
  if (first !== undefined && (hash === '' || hash === '#' || hash === '#/')) {
    window.history.replaceState(window.history.state, '', `#/${first}`);
  }
}
