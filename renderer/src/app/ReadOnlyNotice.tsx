import { useWorkspaceCan } from '../screens/workspace/use-workspace-can.js';

/**
 * Above every screen while this device's role in its workspace sends no changes (a
 * viewer): the core refuses each change as it is made (ROLE_FORBIDDEN), and this says so
 * before anyone tries.
 */
export function ReadOnlyNotice(): React.JSX.Element | null {
  const edit = useWorkspaceCan('push_data');
  if (edit.allowed) return null;
  return (
    <p role="note" className="read-only-notice">
      You are a {edit.role} in this workspace: you can read everything here and change nothing. An
      admin can make you a member.
    </p>
  );
}
