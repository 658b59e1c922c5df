import type { ReactNode } from 'react';
import { useSyncStatus } from '../sync/use-sync-status.js';

/** Shows its navigation entry only while the vault has a workspace. */
export function WorkspaceNavGate({ children }: { children: ReactNode }): ReactNode {
  const status = useSyncStatus();
  return status?.signedIn === true && status.workspace !== null ? children : null;
}
