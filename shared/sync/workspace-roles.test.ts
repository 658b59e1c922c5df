import { describe, expect, it } from 'vitest';

import { COLLECTIONS } from './change.js';
import {
  COLLECTION_PUSH_ACTION,
  WORKSPACE_ACTIONS,
  WORKSPACE_ROLES,
  actionsOf,
  can,
  canPush,
  isWorkspaceRole,
} from './workspace-roles.js';

describe('workspace role matrix', () => {
  it('is the table of the architecture, role by role', () => {
    const table = Object.fromEntries(WORKSPACE_ROLES.map((role) => [role, actionsOf(role)]));
    expect(table).toEqual({
      admin: [
        'read',
        'push_data',
        'push_admin',
        'shares',
        'manage_members',
        'security',
        'snapshot',
      ],
      member: ['read', 'push_data', 'shares'],
      viewer: ['read'],
    });
    // Every action is allowed to admins: nothing in a workspace is out of their reach.
    expect(WORKSPACE_ACTIONS.every((action) => can('admin', action))).toBe(true);
  });

  it('maps every collection to a push action; contracts and settings are admin-only', () => {
    expect(Object.keys(COLLECTION_PUSH_ACTION).sort()).toEqual([...COLLECTIONS].sort());
    const adminOnly = COLLECTIONS.filter((c) => !canPush('member', c));
    expect(adminOnly.sort()).toEqual(['contracts', 'settings']);
    for (const collection of [
      'transactions',
      'clients',
      'invoices',
      'quotes',
      'receipts',
    ] as const) {
      expect(canPush('member', collection), collection).toBe(true);
    }
    expect(COLLECTIONS.filter((c) => canPush('viewer', c))).toEqual([]);
    expect(COLLECTIONS.every((c) => canPush('admin', c))).toBe(true);
  });

  it('recognises only the three roles', () => {
    expect(WORKSPACE_ROLES.every(isWorkspaceRole)).toBe(true);
    for (const other of ['Admin', 'owner', '', null, 1, 'admin ']) {
      expect(isWorkspaceRole(other), String(other)).toBe(false);
    }
  });
});
