import type { Statement } from 'better-sqlite3';

import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type {
  InviteAcceptResult,
  InviteRecord,
  MemberChangeResult,
  MemberRecord,
  MembershipRecord,
  WorkspacePolicy,
  WorkspaceRecord,
  WorkspaceRepository,
} from '../workspace.repository.js';
import * as workspaceRows from '../rows/workspace.rows.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { lazyStatements } from './lazy-statements.js';

/**
 * WorkspaceRepository over better-sqlite3 (schema: migrations/007-workspaces.ts). The
 * methods that check and then write (last admin, invite use) run as one synchronous
 * better-sqlite3 transaction, so no other request can come in between; a PostgreSQL
 * implementation does the same with a row lock or a conditional statement.
 */
export class SqliteWorkspaceRepository implements WorkspaceRepository {
  /** Statements prepared on first use (lazy-statements.ts). */
  private readonly sql: (text: string) => Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = lazyStatements(db);
  }

  async create(
    workspace: WorkspaceRecord,
    creator: { userId: string; joinedAt: number },
  ): Promise<void> {
    this.db.transaction(() => {
      this.sql(
        `INSERT INTO workspaces (id, name_blob, created_at, require_mfa, forbid_email_otp)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(
        workspace.id,
        workspace.nameBlob,
        workspace.createdAt,
        workspace.policy.requireMfa ? 1 : 0,
        workspace.policy.forbidEmailOtp ? 1 : 0,
      );
      this.insertMember(workspace.id, creator.userId, 'admin', creator.joinedAt);
    })();
  }

  private insertMember(workspaceId: string, userId: string, role: WorkspaceRole, at: number) {
    this.sql(
      'INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)',
    ).run(workspaceId, userId, role, at);
  }

  async findById(id: string): Promise<WorkspaceRecord | null> {
    const row = this.sql('SELECT * FROM workspaces WHERE id = ?').get(id) as
      workspaceRows.WorkspaceRow<number> | undefined;
    return row === undefined ? null : workspaceRows.toWorkspace(row, (flag) => flag === 1);
  }

  async listForUser(userId: string): Promise<MembershipRecord[]> {
    const rows = this.sql(
      `SELECT w.*, m.role, m.joined_at FROM workspace_members m
         JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ? ORDER BY m.joined_at, w.id`,
    ).all(userId) as (workspaceRows.WorkspaceRow<number> & {
      role: WorkspaceRole;
      joined_at: number;
    })[];
    return rows.map((row) => ({
      workspace: workspaceRows.toWorkspace(row, (flag) => flag === 1),
      role: row.role,
      joinedAt: row.joined_at,
    }));
  }

  async findMember(workspaceId: string, userId: string): Promise<MemberRecord | null> {
    const row = this.sql(
      'SELECT * FROM workspace_members WHERE workspace_id = ? AND user_id = ?',
    ).get(workspaceId, userId) as workspaceRows.MemberRow | undefined;
    return row === undefined ? null : workspaceRows.toMember(row);
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const rows = this.sql(
      'SELECT * FROM workspace_members WHERE workspace_id = ? ORDER BY joined_at, user_id',
    ).all(workspaceId) as workspaceRows.MemberRow[];
    return rows.map(workspaceRows.toMember);
  }

  /** Whether taking `userId`'s admin role away would leave none; call inside a transaction. */
  private wouldLoseLastAdmin(workspaceId: string, userId: string): boolean {
    const others = this.sql(
      `SELECT count(*) FROM workspace_members
        WHERE workspace_id = ? AND role = 'admin' AND user_id <> ?`,
    )
      .pluck()
      .get(workspaceId, userId) as number;
    return others === 0;
  }

  async setRole(
    workspaceId: string,
    userId: string,
    role: WorkspaceRole,
  ): Promise<MemberChangeResult> {
    return this.db.transaction((): MemberChangeResult => {
      const member = this.sql(
        'SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?',
      )
        .pluck()
        .get(workspaceId, userId) as WorkspaceRole | undefined;
      if (member === undefined) return 'not_member';
      if (member === 'admin' && role !== 'admin' && this.wouldLoseLastAdmin(workspaceId, userId)) {
        return 'last_admin';
      }
      this.sql('UPDATE workspace_members SET role = ? WHERE workspace_id = ? AND user_id = ?').run(
        role,
        workspaceId,
        userId,
      );
      return 'done';
    })();
  }

  async removeMember(workspaceId: string, userId: string): Promise<MemberChangeResult> {
    return this.db.transaction((): MemberChangeResult => {
      const member = this.sql(
        'SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?',
      )
        .pluck()
        .get(workspaceId, userId) as WorkspaceRole | undefined;
      if (member === undefined) return 'not_member';
      if (member === 'admin' && this.wouldLoseLastAdmin(workspaceId, userId)) return 'last_admin';
      this.sql('DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ?').run(
        workspaceId,
        userId,
      );
      return 'done';
    })();
  }

  async releaseUser(userId: string): Promise<{ lastAdminOf: string[] }> {
    return this.db.transaction((): { lastAdminOf: string[] } => {
      const lastAdminOf = this.sql(
        `SELECT m.workspace_id FROM workspace_members m
          WHERE m.user_id = ? AND m.role = 'admin'
            AND NOT EXISTS (SELECT 1 FROM workspace_members o
                             WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id
                               AND o.role = 'admin')
            AND EXISTS (SELECT 1 FROM workspace_members o
                         WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id)
          ORDER BY m.workspace_id`,
      )
        .pluck()
        .all(userId) as string[];
      if (lastAdminOf.length > 0) return { lastAdminOf };
      this.sql(
        `DELETE FROM workspaces WHERE id IN (
           SELECT m.workspace_id FROM workspace_members m
            WHERE m.user_id = ?
              AND NOT EXISTS (SELECT 1 FROM workspace_members o
                               WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id))`,
      ).run(userId);
      return { lastAdminOf: [] };
    })();
  }

  async setPolicy(workspaceId: string, policy: WorkspacePolicy): Promise<void> {
    this.sql('UPDATE workspaces SET require_mfa = ?, forbid_email_otp = ? WHERE id = ?').run(
      policy.requireMfa ? 1 : 0,
      policy.forbidEmailOtp ? 1 : 0,
      workspaceId,
    );
  }

  async policyForUser(userId: string): Promise<WorkspacePolicy> {
    const row = this.sql(
      `SELECT coalesce(max(w.require_mfa), 0) AS require_mfa,
              coalesce(max(w.forbid_email_otp), 0) AS forbid_email_otp
         FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ?`,
    ).get(userId) as { require_mfa: number; forbid_email_otp: number };
    return { requireMfa: row.require_mfa === 1, forbidEmailOtp: row.forbid_email_otp === 1 };
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    this.sql(
      `INSERT INTO workspace_invites (id, workspace_id, token_hash, email_lookup, role, created_by,
                                      created_at, expires_at, used_at, used_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      invite.id,
      invite.workspaceId,
      invite.tokenHash,
      invite.emailLookup,
      invite.role,
      invite.createdBy,
      invite.createdAt,
      invite.expiresAt,
      invite.usedAt,
      invite.usedBy,
    );
  }

  async findInviteByTokenHash(tokenHash: string): Promise<InviteRecord | null> {
    const row = this.sql('SELECT * FROM workspace_invites WHERE token_hash = ?').get(tokenHash) as
      workspaceRows.InviteRow | undefined;
    return row === undefined ? null : workspaceRows.toInvite(row);
  }

  async acceptInvite(inviteId: string, userId: string, now: number): Promise<InviteAcceptResult> {
    return this.db.transaction((): InviteAcceptResult => {
      const row = this.sql('SELECT * FROM workspace_invites WHERE id = ?').get(inviteId) as
        workspaceRows.InviteRow | undefined;
      if (row === undefined || row.used_at !== null) return 'used';
      if (now >= row.expires_at) return 'expired';
      const member = this.sql(
        'SELECT 1 FROM workspace_members WHERE workspace_id = ? AND user_id = ?',
      ).get(row.workspace_id, userId);
      if (member !== undefined) return 'already_member';
      this.sql('UPDATE workspace_invites SET used_at = ?, used_by = ? WHERE id = ?').run(
        now,
        userId,
        inviteId,
      );
      this.insertMember(row.workspace_id, userId, row.role, now);
      return 'accepted';
    })();
  }
}
