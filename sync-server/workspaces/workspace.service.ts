import { uuidv7 } from '../../shared/ids/uuidv7.js';
import type { WorkspaceRole } from '../../shared/sync/workspace-roles.js';
import { sessionState, toSessionView } from '../accounts/session.service.js';
import type { SessionView } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import { conflict, notFound } from '../http/errors.js';
import type { MfaMethod } from '../mfa/mfa-gate.js';
import type { Storage } from '../storage/storage.js';
import type {
  MemberChangeResult,
  WorkspacePolicy,
  WorkspaceRecord,
} from '../storage/workspace.repository.js';
import { locksOut } from './mfa-policy.js';

export interface WorkspaceView {
  id: string;
  nameBlob: string;
  role: WorkspaceRole;
  createdAt: string;
  joinedAt: string;
  policy: WorkspacePolicy;
}

/** A second factor as a member list shows it: backup codes stand in for one, so are left out. */
export type SecondFactor = Exclude<MfaMethod, 'backup_code'>;

export interface MemberView {
  userId: string;
  email: string;
  role: WorkspaceRole;
  joinedAt: string;
  /** Only for a caller who may see members' security (an admin): the factors each has set up. */
  secondFactors?: SecondFactor[];
}

export type MemberSessionView = SessionView & { userId: string };

export interface WorkspaceServiceDeps {
  storage: Storage;
  clock: Clock;
  emailOf(userId: string): Promise<string>;
  methodsFor(userId: string): Promise<MfaMethod[]>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const memberNotFound = () => notFound('MEMBER_NOT_FOUND', 'No such member in this workspace.');

function memberChange(result: MemberChangeResult): void {
  if (result === 'not_member') throw memberNotFound();
  if (result === 'last_admin') {
    throw conflict('LAST_ADMIN', 'A workspace keeps at least one admin: make another admin first.');
  }
}

/**
 * Workspaces, members, policy and members' sessions. Callers have already passed the
 * workspace access check (workspace-access.ts): these methods trust the workspace id.
 */
export class WorkspaceService {
  constructor(private readonly deps: WorkspaceServiceDeps) {}

  /**
   * Runs inside account deletion: an account that is the last admin of a workspace others
   * still use cannot go (they would be left with nobody to manage it); workspaces it alone
   * belongs to go with it.
   */
  async releaseUser(userId: string): Promise<void> {
    const { lastAdminOf } = await this.deps.storage.workspaces.releaseUser(userId);
    if (lastAdminOf.length > 0) {
      throw conflict(
        'LAST_ADMIN',
        `This account is the only admin of ${lastAdminOf.length === 1 ? 'a workspace' : `${lastAdminOf.length} workspaces`} that others still use: make one of them admin, or remove them, before deleting it.`,
      );
    }
  }

  async create(userId: string, nameBlob: string): Promise<WorkspaceView> {
    const now = this.deps.clock.now();
    const workspace: WorkspaceRecord = {
      id: uuidv7(now),
      nameBlob,
      createdAt: now,
      policy: { requireMfa: false, forbidEmailOtp: false },
    };
    await this.deps.storage.workspaces.create(workspace, { userId, joinedAt: now });
    return { ...this.view(workspace), role: 'admin', joinedAt: iso(now) };
  }

  async listForUser(userId: string): Promise<WorkspaceView[]> {
    const memberships = await this.deps.storage.workspaces.listForUser(userId);
    return memberships.map((m) => ({
      ...this.view(m.workspace),
      role: m.role,
      joinedAt: iso(m.joinedAt),
    }));
  }

  private view(workspace: WorkspaceRecord) {
    return {
      id: workspace.id,
      nameBlob: workspace.nameBlob,
      createdAt: iso(workspace.createdAt),
      policy: workspace.policy,
    };
  }

  /**
   * The members, with each one's second factors when `withFactors` (an admin deciding
   * whether to require 2FA sees who would be stopped); never for other roles, since a list
   * of who has none is a list of whom to try a stolen password on first.
   */
  async listMembers(
    workspaceId: string,
    options: { withFactors: boolean } = { withFactors: false },
  ): Promise<MemberView[]> {
    const members = await this.deps.storage.workspaces.listMembers(workspaceId);
    return Promise.all(
      members.map(async (m) => {
        const view: MemberView = {
          userId: m.userId,
          email: await this.deps.emailOf(m.userId),
          role: m.role,
          joinedAt: iso(m.joinedAt),
        };
        if (options.withFactors) {
          const methods = await this.deps.methodsFor(m.userId);
          view.secondFactors = methods.filter((method) => method !== 'backup_code');
        }
        return view;
      }),
    );
  }

  async setRole(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
    memberChange(await this.deps.storage.workspaces.setRole(workspaceId, userId, role));
  }

  async removeMember(workspaceId: string, userId: string): Promise<void> {
    memberChange(await this.deps.storage.workspaces.removeMember(workspaceId, userId));
  }

  /**
   * Sets the policy, unless it would lock out the admin setting it (locksOut): 2FA
   * required while they have no usable factor, or email codes forbidden while email is
   * their only one. Other members are not checked: they enrol a factor when told to.
   */
  async setPolicy(
    workspaceId: string,
    adminUserId: string,
    policy: WorkspacePolicy,
  ): Promise<WorkspacePolicy> {
    if (locksOut(await this.deps.methodsFor(adminUserId), policy)) {
      throw conflict(
        'POLICY_WOULD_LOCK_OUT',
        'Set up TOTP or a passkey yourself before requiring 2FA or forbidding email codes.',
      );
    }
    await this.deps.storage.workspaces.setPolicy(workspaceId, policy);
    return policy;
  }

  /** The open sessions of every member, newest first within each member. */
  async listSessions(workspaceId: string, currentSessionId: string): Promise<MemberSessionView[]> {
    const now = this.deps.clock.now();
    const members = await this.deps.storage.workspaces.listMembers(workspaceId);
    const views: MemberSessionView[] = [];
    for (const member of members) {
      for (const session of await this.deps.storage.sessions.listForUser(member.userId)) {
        if (sessionState(session, now) !== 'active') continue;
        views.push({ ...toSessionView(session, currentSessionId), userId: member.userId });
      }
    }
    return views;
  }

  /**
   * Ends a member's session. A session of someone outside this workspace answers 404 like
   * an unknown id, so an admin cannot reach other workspaces' users through theirs.
   */
  async revokeSession(workspaceId: string, sessionId: string): Promise<void> {
    const session = await this.deps.storage.sessions.findById(sessionId);
    const member =
      session === null
        ? null
        : await this.deps.storage.workspaces.findMember(workspaceId, session.userId);
    if (session === null || member === null) {
      throw notFound('SESSION_NOT_FOUND', 'No such session among this workspace’s members.');
    }
    await this.deps.storage.sessions.revoke(sessionId, this.deps.clock.now(), 'revoked');
  }
}
