/**
 * The vault's one workspace: create it or join one with an invite. The workspace key never
 * reaches a window; an invite token goes in only.
 */
import * as z from 'zod';
import { parseInvite } from '../sync/invite-link.js';
import { WORKSPACE_ROLES, type WorkspaceRole } from '../sync/workspace-roles.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';
import type { SyncAccountStatus } from './sync.methods.js';

export const WorkspaceNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name for the workspace')
  .max(200, 'A workspace name is at most 200 characters');

/** A bare invite token or an invite link (shared/sync/invite-link.ts). */
export const InviteTextSchema = z
  .string()
  .trim()
  .min(1, 'Paste the invite link or token you were sent')
  .max(2048)
  .refine((text) => parseInvite(text) !== null, 'This is not an invite link or token');

export const MemberEmailSchema = z.string().trim().email('Enter an email address').max(254);
export const RoleSchema = z.enum(WORKSPACE_ROLES);

export const AUDIT_OUTCOMES = [
  'success',
  'mfa_required',
  'failure',
  'rate_limited',
  'error',
] as const;
/** An instant as the audit route takes it: ISO 8601 UTC to the second or millisecond. */
const InstantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/, 'A time in UTC');
/** Server ids (uuid) as the routes take them. */
const ServerIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Not an id');

/** The second factors a member list names (backup codes stand in for one, so are not one). */
export const MEMBER_FACTORS = ['passkey', 'totp', 'email'] as const;
export type MemberFactor = (typeof MEMBER_FACTORS)[number];

export interface WorkspaceMember {
  userId: string;
  email: string;
  role: WorkspaceRole;
  /**
   * The second factors the member has set up, for an admin (who decides whether to require
   * 2FA); null for every other role, which the server does not tell.
   */
  secondFactors: MemberFactor[] | null;
  /** This account. */
  you: boolean;
  /** Holds the current workspace key (false until an admin's device shares it). */
  hasKey: boolean;
  /** The member's key fingerprint as pinned on this device, null until they have a key. */
  keyFingerprint: string | null;
}

export interface WorkspacePolicy {
  requireMfa: boolean;
  forbidEmailOtp: boolean;
}

export interface MemberSession {
  id: string;
  userId: string;
  /** The member's address, or null for one no longer listed. */
  email: string | null;
  deviceName: string;
  platform: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  /** This device's own session. */
  current: boolean;
}

export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  statusCode: number;
  errorCode: string | null;
  outcome: (typeof AUDIT_OUTCOMES)[number];
  ip: string;
  userId: string | null;
  /** The member's address when they are still a member. */
  email: string | null;
  repeats: number;
}

export const WORKSPACE_METHODS = {
  /** A new workspace with this account as its admin; the background sync starts. */
  create: apiMethod<{ status: SyncAccountStatus }>()(z.strictObject({ name: WorkspaceNameSchema })),
  /**
   * Joins with an invite sent to this account's address; the background sync starts.
   * `keyReady` is false until an admin's device has shared the workspace key (it does when
   * an admin opens the members list).
   */
  join: apiMethod<{ keyReady: boolean; status: SyncAccountStatus }>()(
    z.strictObject({ token: InviteTextSchema }),
  ),
  /**
   * The members, and your role as the server has it now. On an admin's device this also
   * shares the workspace key with members who lack it.
   */
  members: apiMethod<{ role: WorkspaceRole; members: WorkspaceMember[] }>()(EmptyInputSchema),
  /** A single-use invite (7 days) for an address: the token and a link to send, shown once. */
  invite: apiMethod<{ token: string; link: string; expiresAt: string }>()(
    z.strictObject({ email: MemberEmailSchema, role: RoleSchema }),
  ),
  /** Step-up. The last admin keeps their role (LAST_ADMIN). */
  setRole: apiMethod<{ userId: string }>()(
    z.strictObject({ email: MemberEmailSchema, role: RoleSchema }),
  ),
  /**
   * Step-up. Removes a member and rotates the workspace key for the rest: what their devices
   * already hold stays there; nothing new reaches them.
   */
  remove: apiMethod<{ userId: string; workspaceKeyVersion: number | null }>()(
    z.strictObject({ email: MemberEmailSchema }),
  ),
  policy: apiMethod<WorkspacePolicy>()(EmptyInputSchema),
  /** Step-up. Refused with a specific code when it would lock out the admin setting it. */
  setPolicy: apiMethod<WorkspacePolicy>()(
    z.strictObject({ requireMfa: z.boolean(), forbidEmailOtp: z.boolean() }),
  ),
  sessions: apiMethod<{ sessions: MemberSession[] }>()(EmptyInputSchema),
  /** Step-up. */
  revokeSession: apiMethod<{ revoked: true }>()(z.strictObject({ sessionId: ServerIdSchema })),
  /** A page of the audit log, newest first; `nextCursor` asks for the next. */
  audit: apiMethod<{ entries: AuditEntry[]; nextCursor: string | null }>()(
    z.strictObject({
      cursor: z.string().min(1).max(64).optional(),
      limit: z.number().int().min(1).max(200).optional(),
      userId: ServerIdSchema.optional(),
      action: z.string().min(1).max(216).optional(),
      /** Leave out requests that only read (devices fetching keys and member lists). */
      changesOnly: z.boolean().optional(),
      outcome: z.enum(AUDIT_OUTCOMES).optional(),
      since: InstantSchema.optional(),
      until: InstantSchema.optional(),
    }),
  ),
} as const;
