import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { InviteRecord, MemberRecord, WorkspaceRecord } from '../workspace.repository.js';

/**
 * Rows of the workspace tables (migrations/007-workspaces.ts) as both storage backends read
 * them. The policy flags come back as booleans from PostgreSQL and as 0/1 from SQLite, so
 * the row names the flag's type and the caller says how to read it.
 */
export interface WorkspaceRow<Flag extends boolean | number> {
  id: string;
  name_blob: string;
  created_at: number;
  require_mfa: Flag;
  forbid_email_otp: Flag;
}

export interface MemberRow {
  workspace_id: string;
  user_id: string;
  role: WorkspaceRole;
  joined_at: number;
}

export interface InviteRow {
  id: string;
  workspace_id: string;
  token_hash: string;
  email_lookup: string;
  role: WorkspaceRole;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
}

export const toWorkspace = <Flag extends boolean | number>(
  row: WorkspaceRow<Flag>,
  isSet: (flag: Flag) => boolean,
): WorkspaceRecord => ({
  id: row.id,
  nameBlob: row.name_blob,
  createdAt: row.created_at,
  policy: { requireMfa: isSet(row.require_mfa), forbidEmailOtp: isSet(row.forbid_email_otp) },
});

export const toMember = (row: MemberRow): MemberRecord => ({
  workspaceId: row.workspace_id,
  userId: row.user_id,
  role: row.role,
  joinedAt: row.joined_at,
});

export const toInvite = (row: InviteRow): InviteRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  tokenHash: row.token_hash,
  emailLookup: row.email_lookup,
  role: row.role,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  usedBy: row.used_by,
});
