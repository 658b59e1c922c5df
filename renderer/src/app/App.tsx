import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { coffer } from '../api/coffer-client.js';
import { FirstRunScreen } from '../screens/first-run/FirstRunScreen.js';
import { ErrorMessage } from '../ui/ErrorMessage.js';
import { Progress } from '../ui/Progress.js';
import { AppShell } from './AppShell.js';
import { createQueryClient } from './query-client.js';
import { SCREENS } from './screens.js';

export const APP_STATUS_KEY = ['app', 'status'] as const;

export function App(): React.JSX.Element {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <VaultGate />
    </QueryClientProvider>
  );
}

/** First run until a vault is open; then the app's screens. */
function VaultGate(): React.JSX.Element {
  const status = useQuery({ queryKey: APP_STATUS_KEY, queryFn: () => coffer().app.status({}) });
  if (status.isPending) return <Progress label="Starting Coffer" />;
  if (status.isError) return <ErrorMessage error={status.error} title="Coffer could not start" />;
  if (status.data.vault !== 'open') return <FirstRunScreen status={status.data} />;
  return <AppRouter />;
}

function AppRouter(): React.JSX.Element {
  const [router] = useState(() =>
    createHashRouter([
      {
        path: '/',
        element: <AppShell screens={SCREENS} />,
        children: [
          { index: true, element: <Navigate to={`/${SCREENS[0]?.path ?? ''}`} replace /> },
          ...SCREENS.map((screen) => ({ path: screen.path, element: screen.element })),
        ],
      },
    ]),
  );
  return <RouterProvider router={router} />;
}
