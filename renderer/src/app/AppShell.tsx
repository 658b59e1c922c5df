import { useQueryClient } from '@tanstack/react-query';
import { Fragment, Suspense, useEffect } from 'react';
import { NavLink, Outlet } from 'react-router';
import { coffer } from '../api/coffer-client.js';
import { refreshVaultQueries } from '../api/query-sources.js';
import { Progress } from '../ui/Progress.js';
import { ReadOnlyNotice } from './ReadOnlyNotice.js';
import type { Screen } from './screens.js';

/** The frame around every screen: navigation on the side, the screen beside it. */
export function AppShell({ screens }: { screens: readonly Screen[] }): React.JSX.Element {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      coffer().events.subscribe((event) => {
        // `sync.applied`: another device's changes landed here, so open screens show them.
        if (event.name === 'data.changed' || event.name === 'sync.applied') {
          void refreshVaultQueries(queryClient);
        } else if (event.name === 'lock.changed') {
          void queryClient.invalidateQueries();
        }
      }),
    [queryClient],
  );
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="app-nav" aria-label="Main">
        <p className="app-name">Coffer</p>
        <ul>
          {screens
            .filter((screen) => screen.hidden !== true)
            .map((screen) => {
              const Gate = screen.navGate ?? Fragment;
              return (
                <Gate key={screen.path}>
                  <li>
                    <NavLink to={`/${screen.path}`}>
                      {screen.label}
                      {screen.badge}
                    </NavLink>
                  </li>
                </Gate>
              );
            })}
        </ul>
      </nav>
      <main id="main" className="app-main" tabIndex={-1}>
        <ReadOnlyNotice />
        <Suspense fallback={<Progress label="Loading the screen" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
