import type {
  AuditEntry,
  MemberSession,
  WorkspaceMember,
  WorkspacePolicy,
} from '../../../shared/api/workspace.methods.js';
import { inviteLink } from '../../../shared/sync/invite-link.js';
import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { AuditQuery } from './client/account-api.client.js';
import { SyncAccountRepository } from './sync-account.repository.js';
import type { SyncAccountService } from './sync-account.service.js';

/**
 * The vault's workspace as its members screen manages it, over the account service the
 * CLI uses. Sensitive calls send no password: the server answers STEP_UP_REQUIRED unless
 * the window stepped the session up (security.stepUp), and the window asks and retries.
 * Who may do what is the server's to decide: a refusal reaches the window as it came.
 */
export class AppWorkspaceService {
  private readonly repo: SyncAccountRepository;

  constructor(
    private readonly account: SyncAccountService,
    repo: SyncAccountRepository,
  ) {
    this.repo = repo;
  }

  async members(): Promise<{ role: WorkspaceRole; members: WorkspaceMember[] }> {
    const { members } = await this.account.members();
    const you = this.repo.account()?.userId;
    const role =
      members.find((member) => member.userId === you)?.role ??
      this.repo.workspace()?.role ??
      'viewer';
    return {
      role,
      members: members.map((member) => ({ ...member, you: member.userId === you })),
    };
  }

  async invite(
    email: string,
    role: WorkspaceRole,
  ): Promise<{ token: string; link: string; expiresAt: string }> {
    const invite = await this.account.invite(email, role);
    const server = this.repo.account()?.serverUrl ?? '';
    return { ...invite, link: inviteLink(server, invite.token) };
  }

  setRole(email: string, role: WorkspaceRole): Promise<{ userId: string }> {
    return this.account.setRole(email, role);
  }

  remove(email: string): Promise<{ userId: string; workspaceKeyVersion: number | null }> {
    return this.account.removeMember(email);
  }

  policy(): Promise<WorkspacePolicy> {
    return this.account.policy();
  }

  setPolicy(policy: WorkspacePolicy): Promise<WorkspacePolicy> {
    return this.account.setPolicy(policy);
  }

  async sessions(): Promise<{ sessions: MemberSession[] }> {
    const [sessions, emails] = await Promise.all([
      this.account.memberSessions(),
      this.memberEmails(),
    ]);
    return {
      sessions: sessions.map((session) => ({
        id: session.id,
        userId: session.userId,
        email: emails.get(session.userId) ?? null,
        deviceName: session.deviceName,
        platform: session.platform ?? '',
        ip: session.ip,
        createdAt: session.createdAt,
        lastSeenAt: session.lastSeenAt,
        current: session.current,
      })),
    };
  }

  async revokeSession(sessionId: string): Promise<{ revoked: true }> {
    await this.account.revokeMemberSession(sessionId);
    return { revoked: true };
  }

  async audit(query: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    const [page, emails] = await Promise.all([this.account.audit(query), this.memberEmails()]);
    return {
      entries: page.entries.map((entry) => ({
        id: entry.id,
        at: entry.at,
        action: entry.action,
        statusCode: entry.statusCode,
        errorCode: entry.errorCode,
        outcome: entry.outcome,
        ip: entry.ip,
        userId: entry.userId,
        email: entry.userId === null ? null : (emails.get(entry.userId) ?? null),
        repeats: entry.repeats,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Members' addresses by user id, for lists the server keys by id. */
  private async memberEmails(): Promise<Map<string, string>> {
    const { members } = await this.account.members();
    return new Map(members.map((member) => [member.userId, member.email]));
  }
}
