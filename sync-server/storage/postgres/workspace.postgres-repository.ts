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
import type { PgDatabase } from './pg-database.js';

/**
 * WorkspaceRepository over PostgreSQL (schema: migrations/007-workspaces.ts). The methods
 * that check and then write (last admin, invite use) lock the rows they decide on first
 * (`FOR UPDATE` on the workspace or the invite), so two requests on one workspace take
 * turns, as they do on SQLite's one connection.
 */
export class PostgresWorkspaceRepository implements WorkspaceRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(
    workspace: WorkspaceRecord,
    creator: { userId: string; joinedAt: number },
  ): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.query(
        `INSERT INTO workspaces (id, name_blob, created_at, require_mfa, forbid_email_otp)
         VALUES ($1, $2, $3, $4, $5)`,
        [
          workspace.id,
          workspace.nameBlob,
          workspace.createdAt,
          workspace.policy.requireMfa,
          workspace.policy.forbidEmailOtp,
        ],
      );
      await this.insertMember(workspace.id, creator.userId, 'admin', creator.joinedAt);
    }, 'read committed');
  }

  private async insertMember(
    workspaceId: string,
    userId: string,
    role: WorkspaceRole,
    at: number,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO workspace_members (workspace_id, user_id, role, joined_at)
       VALUES ($1, $2, $3, $4)`,
      [workspaceId, userId, role, at],
    );
  }

  async findById(id: string): Promise<WorkspaceRecord | null> {
    const { rows } = await this.db.query<workspaceRows.WorkspaceRow<boolean>>(
      'SELECT * FROM workspaces WHERE id = $1',
      [id],
    );
    return rows[0] === undefined ? null : workspaceRows.toWorkspace(rows[0], (flag) => flag);
  }

  async listForUser(userId: string): Promise<MembershipRecord[]> {
    const { rows } = await this.db.query<
      workspaceRows.WorkspaceRow<boolean> & { role: WorkspaceRole; joined_at: number }
    >(
      `SELECT w.*, m.role, m.joined_at FROM workspace_members m
         JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = $1 ORDER BY m.joined_at, w.id`,
      [userId],
    );
    return rows.map((row) => ({
      workspace: workspaceRows.toWorkspace(row, (flag) => flag),
      role: row.role,
      joinedAt: row.joined_at,
    }));
  }

  async findMember(workspaceId: string, userId: string): Promise<MemberRecord | null> {
    const { rows } = await this.db.query<workspaceRows.MemberRow>(
      'SELECT * FROM workspace_members WHERE workspace_id = $1 AND user_id = $2',
      [workspaceId, userId],
    );
    return rows[0] === undefined ? null : workspaceRows.toMember(rows[0]);
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const { rows } = await this.db.query<workspaceRows.MemberRow>(
      'SELECT * FROM workspace_members WHERE workspace_id = $1 ORDER BY joined_at, user_id',
      [workspaceId],
    );
    return rows.map(workspaceRows.toMember);
  }

  /**
   * Locks the workspace row (every membership change of one workspace takes it first, so
   * they run one at a time) and reads the member's role; call inside a transaction.
   */
  private async lockedRole(workspaceId: string, userId: string): Promise<WorkspaceRole | null> {
    await this.db.query('SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE', [workspaceId]);
    const { rows } = await this.db.query<{ role: WorkspaceRole }>(
      'SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2',
      [workspaceId, userId],
    );
    return rows[0]?.role ?? null;
  }

  /** Whether taking `userId`'s admin role away would leave none; call inside a transaction. */
  private async wouldLoseLastAdmin(workspaceId: string, userId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM workspace_members
        WHERE workspace_id = $1 AND role = 'admin' AND user_id <> $2`,
      [workspaceId, userId],
    );
    return (rows[0]?.n ?? 0) === 0;
  }

  async setRole(
    workspaceId: string,
    userId: string,
    role: WorkspaceRole,
  ): Promise<MemberChangeResult> {
    return this.db.transaction(async (): Promise<MemberChangeResult> => {
      const member = await this.lockedRole(workspaceId, userId);
      if (member === null) return 'not_member';
      if (
        member === 'admin' &&
        role !== 'admin' &&
        (await this.wouldLoseLastAdmin(workspaceId, userId))
      ) {
        return 'last_admin';
      }
      await this.db.query(
        'UPDATE workspace_members SET role = $1 WHERE workspace_id = $2 AND user_id = $3',
        [role, workspaceId, userId],
      );
      return 'done';
    }, 'read committed');
  }

  async removeMember(workspaceId: string, userId: string): Promise<MemberChangeResult> {
    return this.db.transaction(async (): Promise<MemberChangeResult> => {
      const member = await this.lockedRole(workspaceId, userId);
      if (member === null) return 'not_member';
      if (member === 'admin' && (await this.wouldLoseLastAdmin(workspaceId, userId))) {
        return 'last_admin';
      }
      await this.db.query(
        'DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2',
        [workspaceId, userId],
      );
      return 'done';
    }, 'read committed');
  }

  async releaseUser(userId: string): Promise<{ lastAdminOf: string[] }> {
    return this.db.transaction(async (): Promise<{ lastAdminOf: string[] }> => {
      // The user's workspaces, locked in one order so two releases cannot deadlock.
      await this.db.query(
        `SELECT 1 FROM workspaces
          WHERE id IN (SELECT workspace_id FROM workspace_members WHERE user_id = $1)
          ORDER BY id FOR UPDATE`,
        [userId],
      );
      const { rows } = await this.db.query<{ workspace_id: string }>(
        `SELECT m.workspace_id FROM workspace_members m
          WHERE m.user_id = $1 AND m.role = 'admin'
            AND NOT EXISTS (SELECT 1 FROM workspace_members o
                             WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id
                               AND o.role = 'admin')
            AND EXISTS (SELECT 1 FROM workspace_members o
                         WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id)
          ORDER BY m.workspace_id`,
        [userId],
      );
      const lastAdminOf = rows.map((row) => row.workspace_id);
      if (lastAdminOf.length > 0) return { lastAdminOf };
      await this.db.query(
        `DELETE FROM workspaces WHERE id IN (
           SELECT m.workspace_id FROM workspace_members m
            WHERE m.user_id = $1
              AND NOT EXISTS (SELECT 1 FROM workspace_members o
                               WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id))`,
        [userId],
      );
      return { lastAdminOf: [] };
    }, 'read committed');
  }

  async setPolicy(workspaceId: string, policy: WorkspacePolicy): Promise<void> {
    await this.db.query(
      'UPDATE workspaces SET require_mfa = $1, forbid_email_otp = $2 WHERE id = $3',
      [policy.requireMfa, policy.forbidEmailOtp, workspaceId],
    );
  }

  async policyForUser(userId: string): Promise<WorkspacePolicy> {
    const { rows } = await this.db.query<{ require_mfa: boolean; forbid_email_otp: boolean }>(
      `SELECT coalesce(bool_or(w.require_mfa), FALSE) AS require_mfa,
              coalesce(bool_or(w.forbid_email_otp), FALSE) AS forbid_email_otp
         FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = $1`,
      [userId],
    );
    return {
      requireMfa: rows[0]?.require_mfa ?? false,
      forbidEmailOtp: rows[0]?.forbid_email_otp ?? false,
    };
  }

  async createInvite(invite: InviteRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO workspace_invites (id, workspace_id, token_hash, email_lookup, role, created_by,
                                      created_at, expires_at, used_at, used_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
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
      ],
    );
  }

  async findInviteByTokenHash(tokenHash: string): Promise<InviteRecord | null> {
    const { rows } = await this.db.query<workspaceRows.InviteRow>(
      'SELECT * FROM workspace_invites WHERE token_hash = $1',
      [tokenHash],
    );
    return rows[0] === undefined ? null : workspaceRows.toInvite(rows[0]);
  }

  async acceptInvite(inviteId: string, userId: string, now: number): Promise<InviteAcceptResult> {
    return this.db.transaction(async (): Promise<InviteAcceptResult> => {
      // The invite's row lock makes a second accept wait, then find it used.
      const { rows } = await this.db.query<workspaceRows.InviteRow>(
        'SELECT * FROM workspace_invites WHERE id = $1 FOR UPDATE',
        [inviteId],
      );
      const row = rows[0];
      if (row === undefined || row.used_at !== null) return 'used';
      if (now >= row.expires_at) return 'expired';
      // Two invites of one person to one workspace, accepted at once: one joins.
      await this.db.query('SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE', [row.workspace_id]);
      const member = await this.db.query(
        'SELECT 1 FROM workspace_members WHERE workspace_id = $1 AND user_id = $2',
        [row.workspace_id, userId],
      );
      if (member.rows.length > 0) return 'already_member';
      await this.db.query('UPDATE workspace_invites SET used_at = $1, used_by = $2 WHERE id = $3', [
        now,
        userId,
        inviteId,
      ]);
      await this.insertMember(row.workspace_id, userId, row.role, now);
      return 'accepted';
    }, 'read committed');
  }
}
