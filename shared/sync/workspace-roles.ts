import type { Collection } from './change.js';

/**
 * The workspace role matrix (docs/architecture.md, Roles): defined once here, enforced by
 * the sync server on every workspace route and used by the app to hide what a role cannot do.
 */
export const WORKSPACE_ROLES = ['admin', 'member', 'viewer'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/**
 * What a request to a workspace does, one entry per row of the matrix:
 * - `read`: pull the workspace's changes, list its members;
 * - `push_data`: push money, clients, invoices, quotes, receipts (and the records around them);
 * - `push_admin`: push contracts and workspace settings;
 * - `shares`: create or revoke share links, see signatures;
 * - `manage_members`: invite, change roles, remove members;
 * - `security`: set the security policy, read the audit log, list and revoke members' sessions;
 * - `snapshot`: upload a snapshot of the workspace (it may hold every collection, contracts and
 *   settings too, so only a role that may push all of them writes one).
 */
export const WORKSPACE_ACTIONS = [
  'read',
  'push_data',
  'push_admin',
  'shares',
  'manage_members',
  'security',
  'snapshot',
] as const;
export type WorkspaceAction = (typeof WORKSPACE_ACTIONS)[number];

const MATRIX: Readonly<Record<WorkspaceAction, readonly WorkspaceRole[]>> = {
  read: ['admin', 'member', 'viewer'],
  push_data: ['admin', 'member'],
  push_admin: ['admin'],
  shares: ['admin', 'member'],
  manage_members: ['admin'],
  security: ['admin'],
  snapshot: ['admin'],
};

/** True when `role` may do `action` in a workspace. */
export function can(role: WorkspaceRole, action: WorkspaceAction): boolean {
  return MATRIX[action].includes(role);
}

/** The actions a role may take, in matrix order (for the app's menus). */
export function actionsOf(role: WorkspaceRole): WorkspaceAction[] {
  return WORKSPACE_ACTIONS.filter((action) => can(role, action));
}

export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return typeof value === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(value);
}

/**
 * The push action each synced collection needs. A `Record` over every collection, so a
 * collection added to COLLECTIONS does not compile until it is placed here. Contracts and
 * workspace settings are admin-only; everything else a member may push.
 */
export const COLLECTION_PUSH_ACTION: Readonly<Record<Collection, 'push_data' | 'push_admin'>> = {
  accounts: 'push_data',
  categories: 'push_data',
  payees: 'push_data',
  transactions: 'push_data',
  budgets: 'push_data',
  clients: 'push_data',
  quotes: 'push_data',
  invoices: 'push_data',
  payments: 'push_data',
  recurring_schedules: 'push_data',
  contracts: 'push_admin',
  receipts: 'push_data',
  attachments: 'push_data',
  settings: 'push_admin',
  transaction_reviews: 'push_data',
  payee_rules: 'push_data',
  import_profiles: 'push_data',
  account_bank_ids: 'push_data',
};

/** True when `role` may push a change to `collection`. */
export function canPush(role: WorkspaceRole, collection: Collection): boolean {
  return can(role, COLLECTION_PUSH_ACTION[collection]);
}
