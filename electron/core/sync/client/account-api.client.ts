import type { WorkspaceRole } from '../../../../shared/sync/workspace-roles.js';
import type { SyncHttpClient } from './sync-http.client.js';

/** A session as the server issues it (ARCHITECTURE §7). */
export interface SessionGrant {
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

export type LoginAnswer =
  SessionGrant | { mfaRequired: true; challengeToken: string; methods: string[] };

export interface OwnKeys {
  userKey: {
    version: number;
    publicKey: string;
    recoveryPublicKey: string;
    recoveryBlob: string;
    signingPublicKey?: string;
    selfSignature?: string;
    previousSignature?: string;
  } | null;
  device: {
    publicKey: string;
    userKeyVersion: number;
    sealedUserKey: string;
    certificate?: string;
  } | null;
}

/** One version of a member's user key and what they signed for it (docs/sync-keys.md). */
export interface StatementView {
  version: number;
  publicKey: string;
  recoveryPublicKey: string;
  signingPublicKey: string | null;
  selfSignature: string | null;
  previousSignature: string | null;
}

export interface MemberKeyDirectory {
  members: (MemberKeyView & {
    newestSealedToUserKeyVersion: number | null;
    chain: StatementView[];
  })[];
  /** A former member holds the newest workspace key, or a member's user key moved on since. */
  rotationDue: boolean;
}

export interface OwnDevices {
  userKeyVersion: number | null;
  /** A revoked device still holds the current user key. */
  rotationDue: boolean;
  devices: { sessionId: string; publicKey: string; certificate: string | null }[];
}

/** GET /v1/workspaces/:id/key-state: what a device checks before each push, in one answer. */
export interface KeyState {
  userKeyVersion: number | null;
  userKeyRotationDue: boolean;
  workspaceKeyRotationDue: boolean;
  sealedToYou: { keyVersion: number; userKeyVersion: number }[];
}

export interface UserKeyRotationBody {
  version: number;
  publicKey: string;
  signingPublicKey: string;
  selfSignature: string;
  previousSignature: string;
  recoveryBlob: string;
  devices: { sessionId: string; sealedUserKey: string; certificate: string }[];
}

export interface MemberView {
  userId: string;
  email: string;
  role: WorkspaceRole;
  joinedAt: string;
  /** Only in an admin's list: 'webauthn', 'totp', 'email'. */
  secondFactors?: string[];
}

export interface MemberKeyView {
  userId: string;
  userKey: { version: number; publicKey: string } | null;
  keyVersions: number[];
}

export interface SessionView {
  id: string;
  deviceName: string;
  platform?: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** A workspace's security policy (`PUT /v1/workspaces/:id/policy`). */
export interface WorkspacePolicyView {
  requireMfa: boolean;
  forbidEmailOtp: boolean;
}

/** A member's session as an admin lists them. */
export type MemberSessionView = SessionView & { userId: string };

/** One entry of a workspace's audit log, as the server keeps it (no bodies). */
export interface AuditEntryView {
  id: string;
  at: string;
  requestId: string;
  action: string;
  statusCode: number;
  errorCode: string | null;
  outcome: 'success' | 'mfa_required' | 'failure' | 'rate_limited' | 'error';
  ip: string;
  userId: string | null;
  sessionId: string | null;
  repeats: number;
}

export interface AuditQuery {
  limit?: number;
  cursor?: string;
  userId?: string;
  action?: string;
  changesOnly?: boolean;
  outcome?: AuditEntryView['outcome'];
  since?: string;
  until?: string;
}

/** `GET /v1/me/sign-ins` (sync-server/audit/sign-in-history.ts). */
export interface SignInHistoryPage {
  signIns: {
    id: string;
    at: string;
    kind: 'register' | 'password' | 'second_factor' | 'passkey' | 'step_up';
    factor: string | null;
    outcome: 'success' | 'mfa_required' | 'failure' | 'rate_limited' | 'error';
    errorCode: string | null;
    ip: string;
    userAgent: string | null;
    deviceName: string | null;
    repeats: number;
  }[];
  nextCursor: string | null;
}

/** `GET /v1/me/mfa`. */
export interface SecondFactorsView {
  /** What a sign-in or step-up asks for: webauthn, totp, email, backup_code. */
  methods: string[];
  totp: boolean;
  email: boolean;
  backupCodesRemaining: number;
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
}

/** A passkey as GET /v1/me/mfa lists it. */
export type PasskeyRecordView = SecondFactorsView['passkeys'][number];

/** WebAuthn options and responses travel as the JSON the browser library reads and writes. */
export type WebauthnJson = Record<string, unknown>;

/**
 * The account, key directory, workspace and session routes of the sync server, typed.
 * Every method but sign-up and sign-in takes the session token; keys and boxes travel as
 * unpadded base64url.
 */
export class AccountApiClient {
  constructor(private readonly http: SyncHttpClient) {}

  register(email: string, password: string, deviceName: string): Promise<SessionGrant> {
    return this.http.request('POST', '/v1/auth/register', {
      body: { email, password, deviceName },
    });
  }

  login(email: string, password: string, deviceName: string): Promise<LoginAnswer> {
    return this.http.request('POST', '/v1/auth/login', { body: { email, password, deviceName } });
  }

  loginMfa(challengeToken: string, method: string, code: string): Promise<SessionGrant> {
    return this.http.request('POST', '/v1/auth/login/mfa', {
      body: { challengeToken, method, code },
    });
  }

  /** Assertion options for answering an open sign-in challenge with a passkey. */
  loginPasskeyOptions(challengeToken: string): Promise<WebauthnJson> {
    return this.http.request('POST', '/v1/auth/webauthn/options', { body: { challengeToken } });
  }

  loginMfaPasskey(challengeToken: string, response: WebauthnJson): Promise<SessionGrant> {
    return this.http.request('POST', '/v1/auth/login/mfa', {
      body: { challengeToken, method: 'webauthn', response },
    });
  }

  async passkeys(token: string): Promise<PasskeyRecordView[]> {
    return (
      await this.http.request<{ passkeys: PasskeyRecordView[] }>('GET', '/v1/me/mfa', { token })
    ).passkeys;
  }

  passkeyRegistrationOptions(token: string): Promise<WebauthnJson> {
    return this.http.request('POST', '/v1/me/webauthn/register/options', { token, body: {} });
  }

  registerPasskey(
    token: string,
    response: WebauthnJson,
    name: string,
  ): Promise<{ id: string; name: string; createdAt: string; backupCodes?: string[] }> {
    return this.http.request('POST', '/v1/me/webauthn/register/verify', {
      token,
      body: { response, name },
    });
  }

  renamePasskey(token: string, id: string, name: string): Promise<{ id: string; name: string }> {
    return this.http.request('PATCH', `/v1/me/webauthn/credentials/${encodeURIComponent(id)}`, {
      token,
      body: { name },
    });
  }

  async removePasskey(token: string, id: string): Promise<void> {
    await this.http.request('DELETE', `/v1/me/webauthn/credentials/${encodeURIComponent(id)}`, {
      token,
    });
  }

  /** Asks the server to email a code for an open sign-in challenge (202 when sent). */
  async sendLoginEmailCode(challengeToken: string): Promise<void> {
    await this.http.request('POST', '/v1/auth/login/mfa/email-code', { body: { challengeToken } });
  }

  async logout(token: string): Promise<void> {
    await this.http.request('POST', '/v1/auth/logout', { token, body: {} });
  }

  /** The CLI's step-up: a code's kind is told from its form (codeMethod). */
  async stepUp(token: string, password: string, code?: string): Promise<void> {
    const answer = await this.stepUpWith(
      token,
      password,
      code === undefined ? undefined : { method: codeMethod(code), code },
    );
    if (answer.mfaRequired) throw new StepUpNeedsCode();
  }

  /**
   * Elevates the session for the server's 10 minutes. Without a second factor, an account
   * that has one answers `mfaRequired` with its methods and nothing is elevated.
   */
  async stepUpWith(
    token: string,
    password: string,
    proof?: { method: CodeMethod; code: string } | { method: 'webauthn'; response: WebauthnJson },
  ): Promise<{ mfaRequired: false } | { mfaRequired: true; methods: string[] }> {
    const answer = await this.http.request<{ mfaRequired?: boolean; methods?: string[] }>(
      'POST',
      '/v1/auth/step-up',
      { token, body: proof === undefined ? { password } : { password, ...proof } },
    );
    return answer.mfaRequired === true
      ? { mfaRequired: true, methods: answer.methods ?? [] }
      : { mfaRequired: false };
  }

  /** Assertion options for a step-up with a passkey; the challenge is bound to this account. */
  stepUpPasskeyOptions(token: string): Promise<WebauthnJson> {
    return this.http.request('POST', '/v1/me/webauthn/options', { token, body: {} });
  }

  /** The account's second factors (`methods` is what a sign-in or step-up takes). */
  secondFactors(token: string): Promise<SecondFactorsView> {
    return this.http.request('GET', '/v1/me/mfa', { token });
  }

  /** Emails a code for a step-up with method `email` (202 when sent). */
  async sendStepUpEmailCode(token: string): Promise<void> {
    await this.http.request('POST', '/v1/me/mfa/email-code', { token, body: {} });
  }

  me(token: string): Promise<{ user: { id: string; email: string } }> {
    return this.http.request('GET', '/v1/me', { token });
  }

  ownKeys(token: string): Promise<OwnKeys> {
    return this.http.request('GET', '/v1/me/keys', { token });
  }

  async putUserKey(
    token: string,
    body: {
      version: number;
      publicKey: string;
      recoveryPublicKey: string;
      recoveryBlob: string;
      signingPublicKey?: string;
      selfSignature?: string;
    },
  ): Promise<void> {
    await this.http.request('PUT', '/v1/me/keys', { token, body });
  }

  async putDeviceKey(
    token: string,
    body: {
      publicKey: string;
      userKeyVersion: number;
      sealedUserKey: string;
      certificate?: string;
    },
  ): Promise<void> {
    await this.http.request('PUT', '/v1/me/device-key', { token, body });
  }

  deviceKeys(token: string): Promise<OwnDevices> {
    return this.http.request('GET', '/v1/me/device-keys', { token });
  }

  async rotateUserKey(token: string, body: UserKeyRotationBody): Promise<void> {
    await this.http.request('POST', '/v1/me/keys/rotate', { token, body });
  }

  keyState(token: string, workspaceId: string): Promise<KeyState> {
    return this.http.request('GET', `/v1/workspaces/${workspaceId}/key-state`, { token });
  }

  memberKeyDirectory(token: string, workspaceId: string): Promise<MemberKeyDirectory> {
    return this.http.request('GET', `/v1/workspaces/${workspaceId}/member-keys`, { token });
  }

  createWorkspace(token: string, nameBlob: string): Promise<{ id: string; role: WorkspaceRole }> {
    return this.http.request('POST', '/v1/workspaces', { token, body: { nameBlob } });
  }

  async listWorkspaces(
    token: string,
  ): Promise<
    { id: string; nameBlob: string; role: WorkspaceRole; policy?: WorkspacePolicyView }[]
  > {
    return (
      await this.http.request<{
        workspaces: {
          id: string;
          nameBlob: string;
          role: WorkspaceRole;
          policy?: WorkspacePolicyView;
        }[];
      }>('GET', '/v1/workspaces', { token })
    ).workspaces;
  }

  setPolicy(
    token: string,
    workspaceId: string,
    policy: WorkspacePolicyView,
  ): Promise<WorkspacePolicyView> {
    return this.http.request('PUT', `/v1/workspaces/${workspaceId}/policy`, {
      token,
      body: policy,
    });
  }

  async memberSessions(token: string, workspaceId: string): Promise<MemberSessionView[]> {
    return (
      await this.http.request<{ sessions: MemberSessionView[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/sessions`,
        { token },
      )
    ).sessions;
  }

  async revokeMemberSession(token: string, workspaceId: string, sessionId: string): Promise<void> {
    await this.http.request(
      'DELETE',
      `/v1/workspaces/${workspaceId}/sessions/${encodeURIComponent(sessionId)}`,
      { token },
    );
  }

  audit(
    token: string,
    workspaceId: string,
    query: AuditQuery,
  ): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
    const params = Object.entries(query)
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
      .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
      .join('&');
    return this.http.request(
      'GET',
      `/v1/workspaces/${workspaceId}/audit${params === '' ? '' : `?${params}`}`,
      { token },
    );
  }

  createInvite(
    token: string,
    workspaceId: string,
    email: string,
    role: WorkspaceRole,
  ): Promise<{ token: string; expiresAt: string }> {
    return this.http.request('POST', `/v1/workspaces/${workspaceId}/invites`, {
      token,
      body: { email, role },
    });
  }

  acceptInvite(
    token: string,
    invite: string,
  ): Promise<{ workspaceId: string; role: WorkspaceRole }> {
    return this.http.request('POST', `/v1/invites/${encodeURIComponent(invite)}/accept`, {
      token,
      body: {},
    });
  }

  async members(token: string, workspaceId: string): Promise<MemberView[]> {
    return (
      await this.http.request<{ members: MemberView[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/members`,
        { token },
      )
    ).members;
  }

  async memberKeys(token: string, workspaceId: string): Promise<MemberKeyView[]> {
    return (
      await this.http.request<{ members: MemberKeyView[] }>(
        'GET',
        `/v1/workspaces/${workspaceId}/member-keys`,
        { token },
      )
    ).members;
  }

  async ownWorkspaceKeys(
    token: string,
    workspaceId: string,
  ): Promise<{ keyVersion: number; userKeyVersion: number; sealedKey: string }[]> {
    return (
      await this.http.request<{
        keys: { keyVersion: number; userKeyVersion: number; sealedKey: string }[];
      }>('GET', `/v1/workspaces/${workspaceId}/keys`, { token })
    ).keys;
  }

  async putWorkspaceKeys(
    token: string,
    workspaceId: string,
    keyVersion: number,
    sealed: { userId: string; userKeyVersion: number; sealedKey: string }[],
  ): Promise<void> {
    await this.http.request('PUT', `/v1/workspaces/${workspaceId}/keys`, {
      token,
      body: { keyVersion, sealed },
    });
  }

  async setRole(
    token: string,
    workspaceId: string,
    userId: string,
    role: WorkspaceRole,
  ): Promise<void> {
    await this.http.request('PATCH', `/v1/workspaces/${workspaceId}/members/${userId}`, {
      token,
      body: { role },
    });
  }

  async removeMember(token: string, workspaceId: string, userId: string): Promise<void> {
    await this.http.request('DELETE', `/v1/workspaces/${workspaceId}/members/${userId}`, { token });
  }

  async sessions(token: string): Promise<SessionView[]> {
    return (
      await this.http.request<{ sessions: SessionView[] }>('GET', '/v1/me/sessions', { token })
    ).sessions;
  }

  async revokeSession(token: string, sessionId: string): Promise<void> {
    await this.http.request('DELETE', `/v1/me/sessions/${encodeURIComponent(sessionId)}`, {
      token,
    });
  }

  /** Step-up. Answers how many other sessions ended (`endOtherSessions`). */
  async changePassword(
    token: string,
    body: { currentPassword: string; newPassword: string; endOtherSessions: boolean },
  ): Promise<number> {
    return (
      await this.http.request<{ endedSessions: number }>('POST', '/v1/me/password', {
        token,
        body,
      })
    ).endedSessions;
  }

  /** Step-up. The secret and its otpauth URI; TOTP is on only after `confirmTotp`. */
  beginTotp(token: string): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
    return this.http.request('POST', '/v1/me/mfa/totp', { token, body: {} });
  }

  /** Step-up. Ten new backup codes (the old set stops working). */
  async confirmTotp(token: string, code: string): Promise<string[]> {
    return (
      await this.http.request<{ backupCodes: string[] }>('POST', '/v1/me/mfa/totp/confirm', {
        token,
        body: { code },
      })
    ).backupCodes;
  }

  /** Step-up. */
  async removeTotp(token: string): Promise<void> {
    await this.http.request('DELETE', '/v1/me/mfa/totp', { token });
  }

  /** Step-up. Backup codes come back when email codes became the first second factor. */
  setEmailCodes(
    token: string,
    enabled: boolean,
  ): Promise<{ enabled: boolean; backupCodes?: string[] }> {
    return this.http.request('POST', '/v1/me/mfa/email', { token, body: { enabled } });
  }

  /** Step-up. */
  async regenerateBackupCodes(token: string): Promise<string[]> {
    return (
      await this.http.request<{ backupCodes: string[] }>('POST', '/v1/me/mfa/backup-codes', {
        token,
        body: {},
      })
    ).backupCodes;
  }

  /** The account's sign-in history, newest first, a page at a time. */
  signIns(token: string, cursor?: string): Promise<SignInHistoryPage> {
    const query = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    return this.http.request('GET', `/v1/me/sign-ins${query}`, { token });
  }

  /** Ends every session of the account but this one; answers how many ended. */
  async revokeOtherSessions(token: string): Promise<number> {
    return (
      await this.http.request<{ endedSessions: number }>('POST', '/v1/me/sessions/revoke-others', {
        token,
        body: {},
      })
    ).endedSessions;
  }
}

/** The second factors typed as a code, by the server's names. */
export type CodeMethod = 'totp' | 'email' | 'backup_code';

/** Six digits are an authenticator's code; anything else is taken for a backup code. */
export function codeMethod(code: string): 'totp' | 'backup_code' {
  return /^\d{6}$/.test(code) ? 'totp' : 'backup_code';
}

/** The step-up asked for a second factor and none was given. */
export class StepUpNeedsCode extends Error {}
