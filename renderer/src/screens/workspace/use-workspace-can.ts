import { can, type WorkspaceAction } from '../../../../shared/sync/workspace-roles.js';
import { useSyncStatus } from '../sync/use-sync-status.js';

/**
 * Whether this vault's role may do `action` in its workspace (the shared role matrix). A
 * vault with no workspace is its owner's alone: everything. The role is the one last read
 * from the server; the server still decides each request.
 */
export function useWorkspaceCan(action: WorkspaceAction): {
  allowed: boolean;
  role: string | null;
} {
  const status = useSyncStatus();
  const role = status?.signedIn === true ? (status.workspace?.role ?? null) : null;
  return { allowed: role === null || can(role, action), role };
}
