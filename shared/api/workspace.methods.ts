/**
 * The vault's one workspace: create it or join one with an invite. The workspace key never
 * reaches a window; an invite token goes in only.
 */
import { z } from 'zod';
import { parseInvite } from '../sync/invite-link.js';
import { apiMethod } from './api-method.js';
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
} as const;
