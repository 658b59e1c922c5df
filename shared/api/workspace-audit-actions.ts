/**
 * What each request a workspace's audit log can hold did, in words an admin reads. The log
 * keeps the method and route pattern (`PUT /v1/workspaces/:id/policy`); the app shows these
 * words beside it. Every route of the server that is recorded against a workspace has an
 * entry (sync-server/test/route-table.test.ts fails otherwise).
 */
export const WORKSPACE_AUDIT_ACTIONS = {
  'POST /v1/workspaces': 'Created the workspace',
  'POST /v1/workspaces/:id/invites': 'Invited someone',
  'POST /v1/invites/:token/accept': 'Joined with an invite',
  'GET /v1/workspaces/:id/members': 'Listed the members',
  'PATCH /v1/workspaces/:id/members/:userId': "Changed a member's role",
  'DELETE /v1/workspaces/:id/members/:userId': 'Removed a member',
  'PUT /v1/workspaces/:id/policy': 'Changed the security policy',
  'GET /v1/workspaces/:id/sessions': "Listed members' sessions",
  'DELETE /v1/workspaces/:id/sessions/:sessionId': "Signed out a member's session",
  'GET /v1/workspaces/:id/audit': 'Read the audit log',
  'POST /v1/workspaces/:id/sync/push': 'Sent changes',
  'GET /v1/workspaces/:id/sync/pull': 'Fetched changes',
  'GET /v1/workspaces/:id/sync/ws': 'Opened the live connection',
  'GET /v1/workspaces/:id/keys': 'Fetched workspace keys',
  'PUT /v1/workspaces/:id/keys': 'Shared workspace keys with members',
  'GET /v1/workspaces/:id/member-keys': "Fetched members' public keys",
  'GET /v1/workspaces/:id/key-state': 'Checked which keys members hold',
  'POST /v1/workspaces/:id/invoice-numbers': 'Took an invoice number',
  'POST /v1/workspaces/:id/snapshots': 'Began a snapshot',
  'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index': 'Uploaded part of a snapshot',
  'POST /v1/workspaces/:id/snapshots/:snapshotId/complete': 'Finished a snapshot',
  'GET /v1/workspaces/:id/snapshots/latest': 'Looked up the newest snapshot',
  'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index': 'Downloaded part of a snapshot',
} as const satisfies Readonly<Record<string, string>>;

export type WorkspaceAuditAction = keyof typeof WORKSPACE_AUDIT_ACTIONS;

/** The words for `action`, or null for one this version does not know (shown as it is). */
export function workspaceAuditActionWords(action: string): string | null {
  return Object.hasOwn(WORKSPACE_AUDIT_ACTIONS, action)
    ? WORKSPACE_AUDIT_ACTIONS[action as WorkspaceAuditAction]
    : null;
}
