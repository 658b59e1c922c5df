import type { WorkspaceRole } from '../../shared/sync/workspace-roles.js';

/**
 * Persistence for workspaces, their members, invites and security policy. Every method
 * returns a Promise so a PostgreSQL implementation fits behind the same interface; the
 * methods that must hold an invariant under concurrent requests (never the last admin, an
 * invite used once) do so by themselves, each as one atomic step of the implementation.
 *
 * The server never sees a workspace's name: `nameBlob` is what the client encrypted, kept
 * as the base64 text it sent. An invite keeps only the SHA-256 of its token and the HMAC
 * lookup of the invited address (like `users.email_lookup`), never either in the clear.
 */
export interface WorkspacePolicy {
  /** Members without a second factor get 403 MFA_REQUIRED on everything but enrolment. */
  requireMfa: boolean;
  /** Email codes are refused for members at sign-in and step-up. */
  forbidEmailOtp: boolean;
}

export interface WorkspaceRecord {
  id: string;
  /** Client-encrypted name, base64. */
  nameBlob: string;
  createdAt: number;
  policy: WorkspacePolicy;
}

export interface MemberRecord {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  joinedAt: number;
}

/** A workspace as one of its members sees it in their list. */
export interface MembershipRecord {
  workspace: WorkspaceRecord;
  role: WorkspaceRole;
  joinedAt: number;
}

export interface InviteRecord {
  id: string;
  workspaceId: string;
  /** SHA-256 (hex) of the 256-bit invite token. */
  tokenHash: string;
  /** `secrets.lookupHash('email', address)` of the invited address. */
  emailLookup: string;
  role: WorkspaceRole;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
}

/** How a role change or removal ended. */
export type MemberChangeResult = 'done' | 'not_member' | 'last_admin';

/** How an invite acceptance ended. */
export type InviteAcceptResult = 'accepted' | 'used' | 'expired' | 'already_member';

export interface WorkspaceRepository {
  /** The workspace and its creator as its first admin, together. */
  create(workspace: WorkspaceRecord, creator: { userId: string; joinedAt: number }): Promise<void>;
  findById(id: string): Promise<WorkspaceRecord | null>;
  /** The user's workspaces with their role, oldest membership first. */
  listForUser(userId: string): Promise<MembershipRecord[]>;
  findMember(workspaceId: string, userId: string): Promise<MemberRecord | null>;
  /** Members in the order they joined. */
  listMembers(workspaceId: string): Promise<MemberRecord[]>;
  /** Changes a member's role, unless that would leave the workspace without an admin. */
  setRole(workspaceId: string, userId: string, role: WorkspaceRole): Promise<MemberChangeResult>;
  /** Removes a member, unless they are its last admin. */
  removeMember(workspaceId: string, userId: string): Promise<MemberChangeResult>;
  setPolicy(workspaceId: string, policy: WorkspacePolicy): Promise<void>;
  /**
   * The strictest policy over every workspace the user belongs to (a flag is on if any of
   * their workspaces sets it); both off for a user in none.
   */
  policyForUser(userId: string): Promise<WorkspacePolicy>;

  createInvite(invite: InviteRecord): Promise<void>;
  findInviteByTokenHash(tokenHash: string): Promise<InviteRecord | null>;
  /**
   * Uses the invite for `userId` at `now` and adds them with its role, in one step: only
   * one of several concurrent acceptances wins; a used or expired invite, or a user who is
   * already a member, changes nothing.
   */
  acceptInvite(inviteId: string, userId: string, now: number): Promise<InviteAcceptResult>;
  /**
   * Before an account goes, in one step: the workspaces of which it is the last admin
   * while others are members are returned and nothing changes; otherwise the workspaces it
   * is the only member of are deleted (nobody could reach them again) and none returned.
   */
  releaseUser(userId: string): Promise<{ lastAdminOf: string[] }>;
}
