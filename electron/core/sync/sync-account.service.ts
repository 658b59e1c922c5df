import { randomBytes } from 'node:crypto';

import type { MemberFactor } from '../../../shared/api/workspace.methods.js';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { KeyStore } from '../vault/key-store.js';
import type { Vault } from '../vault/vault.js';
import { AccountApiClient, StepUpNeedsCode, codeMethod } from './client/account-api.client.js';
import { memberFactors } from './member-factors.js';
import type {
  AuditEntryView,
  AuditQuery,
  MemberSessionView,
  MemberView,
  PasskeyRecordView,
  SecondFactorsView,
  SessionGrant,
  SessionView,
  WorkspacePolicyView,
  SignInHistoryPage,
  WebauthnJson,
} from './client/account-api.client.js';
import { withPasskeyRefusals } from './passkey-refusals.js';
import { formatFingerprint } from './client/pinned-agent.js';
import { SyncApiClient } from './client/sync-api.client.js';
import { SyncHttpClient, serverUrl } from './client/sync-http.client.js';
import {
  accountRecoveryKeyPair,
  formatAccountRecoveryKey,
  generateAccountRecoverySecret,
  parseAccountRecoveryKey,
} from './crypto/account-recovery-key.js';
import { certifyDevice } from './crypto/device-certificate.js';
import { keyFingerprint } from './crypto/key-pinning.js';
import { makeUserKeyStatement } from './crypto/user-key-statement.js';
import { userSigningKey } from './crypto/user-signing-key.js';
import {
  generateUserKey,
  openUserKeyWithRecovery,
  sealUserKeyToDevice,
  sealUserKeyToRecovery,
} from './crypto/user-key.js';
import type { UserKey, UserKeyLabel } from './crypto/user-key.js';
import { WORKSPACE_KEY_BYTES, openWorkspaceKey, sealWorkspaceKey } from './crypto/workspace-key.js';
import type { WorkspaceKey } from './crypto/workspace-key.js';
import { WorkspaceKeyring } from './crypto/workspace-keyring.js';
import {
  exportPrivateKeyRaw,
  generateX25519KeyPair,
  importPrivateKey,
} from './crypto/x25519-key-pair.js';
import type { X25519KeyPair } from './crypto/x25519-key-pair.js';
import { DeviceApprovalApiClient } from './client/device-approval-api.client.js';
import { awaitDeviceApproval } from './device-approval-wait.js';
import type { ApprovalWaitHooks } from './device-approval-wait.js';
import { DeviceApprovals } from './device-approvals.js';
import type { PendingApprovalView } from './device-approvals.js';
import { REMOVED_MESSAGE, SHREDDED_MESSAGE, cryptoShredVault } from './crypto-shred.js';
import { KeyRotationService } from './key-rotation.service.js';
import { keyCatchUpDue } from './key-state.js';
import { assertNoRecordsToJoinWith, skipFirstUploadIfEmpty } from './engine/state-upload.js';
import { SyncAccountRepository, workspaceSummary } from './sync-account.repository.js';
import type { SyncAccountRecord, SyncWorkspaceRecord } from './sync-account.repository.js';
import { openWorkspaceName, sealWorkspaceName } from './workspace-name.js';

export interface SyncAccountDeps {
  vault: Vault;
  keyStore: KeyStore;
  /** Shown in the account's session list (e.g. the host name). */
  deviceName: string;
  now?: () => number;
  /**
   * Told after a call met a revoked session or a removal and crypto-shredded the vault, for
   * whoever holds the vault to let go of it and say why, whichever screen's call it was.
   */
  onShredded?: (error: CofferError) => void;
  /**
   * Told after a call met MFA_REQUIRED (a workspace policy this account does not meet yet),
   * so the sync status says so at once instead of at the loop's next round.
   */
  onMfaRequired?: () => void;
}

export interface ServerTarget {
  serverUrl: string;
  /** 64 hex digits; omit for a server whose certificate a CA signed. */
  fingerprint?: string;
}

export interface Credentials {
  email: string;
  password: string;
  /** A TOTP or backup code, when the account has a second factor. */
  code?: string;
}

/** What a step-up asks for: the password, and a code when the account has 2FA. */
export interface StepUp {
  password: string;
  code?: string;
}

/** How a sign-in's last step opens the user key. */
export type KeyUnlock = { recoveryKey: string } | { approval: ApprovalWaitHooks };

/** What the server asked for after the password. Passkeys (webauthn) are answered elsewhere. */
export type LoginStart =
  | { step: 'second-factor'; challengeToken: string; methods: string[] }
  | { step: 'unlock-keys'; grant: SessionGrant };

export type LoginCodeMethod = 'totp' | 'email' | 'backup_code';

export interface MemberStatus {
  userId: string;
  email: string;
  role: WorkspaceRole;
  /** The member's user key fingerprint as pinned here, null until they have a key. */
  keyFingerprint: string | null;
  /** Holds the current workspace key version. */
  hasKey: boolean;
  /** What the server told an admin of the member's second factors; null when it did not. */
  secondFactors: MemberFactor[] | null;
}

function pinnedKey(pinned: ReadonlyMap<string, Buffer>, userId: string): Buffer {
  const key = pinned.get(userId);
  if (key === undefined)
    throw new CofferError('INTERNAL', 'A member key was used before it was pinned.');
  return key;
}

function memberWithEmail(members: readonly MemberView[], email: string): MemberView {
  const wanted = email.trim().toLowerCase();
  const member = members.find((m) => m.email.toLowerCase() === wanted);
  if (member === undefined)
    throw new CofferError('NOT_FOUND', `${email} is not a member of this workspace.`);
  return member;
}

const b64 = (bytes: Buffer): string => bytes.toString('base64url');
const bytes = (text: string): Buffer => Buffer.from(text, 'base64url');

/**
 * The device's side of a sync account: sign-up and sign-in with the key chain of
 * docs/sync-keys.md, the vault's one workspace (create, invite, join, members, roles) and the
 * account's sessions. Every call with the session token goes through `signedIn`, the one
 * place that answers 401 SESSION_REVOKED by crypto-shredding the vault.
 *
 * A joiner has no workspace key yet and the server cannot make one for them, so an admin's
 * device seals it: `members()` on an admin's device pins every member's user key (trust on
 * first use, refused if it changes) and seals the current workspace key to each member who
 * lacks it. The joiner's next `members()` or `status()` then opens it.
 */
export class SyncAccountService {
  private readonly repo: SyncAccountRepository;
  private readonly now: () => number;
  /** Set by `keepConnection`: one pinned client reused across calls, per server target. */
  private kept: { target: string; http: SyncHttpClient } | null | undefined;
  private readonly rotation: KeyRotationService;

  constructor(private readonly deps: SyncAccountDeps) {
    this.repo = new SyncAccountRepository(deps.vault.db);
    this.now = deps.now ?? (() => deps.vault.now());
    this.rotation = new KeyRotationService({ vault: deps.vault, repo: this.repo, now: this.now });
  }

  async register(
    target: ServerTarget,
    credentials: Credentials,
  ): Promise<{ recoveryKey: string; userId: string }> {
    this.assertNoAccount();
    return this.withClient(target, async (api) => {
      const grant = await api.register(
        credentials.email,
        credentials.password,
        this.deps.deviceName,
      );
      const userKey = generateUserKey(grant.user.id, 1);
      const secret = generateAccountRecoverySecret();
      try {
        const recovery = accountRecoveryKeyPair(secret, grant.user.id);
        const statement = makeUserKeyStatement(userKey, null, recovery.publicKey);
        await api.putUserKey(grant.token, {
          version: 1,
          publicKey: b64(userKey.pair.publicKey),
          recoveryPublicKey: b64(recovery.publicKey),
          recoveryBlob: b64(sealUserKeyToRecovery(userKey, recovery.publicKey)),
          signingPublicKey: b64(statement.signingPublicKey),
          selfSignature: b64(statement.selfSignature),
        });
        await this.enrolDevice(api, target, grant, userKey);
        return { recoveryKey: formatAccountRecoveryKey(secret), userId: grant.user.id };
      } finally {
        secret.fill(0);
      }
    });
  }

  /**
   * Signs this vault in as a new device: password, the second factor if the account has
   * one, then the Account Recovery Key opens the user key, which is sealed to this device.
   * A Recovery Key that opens nothing is RECOVERY_KEY_WRONG; the session just made is
   * signed out again and nothing is stored. The same steps, one call each, are what a
   * window drives (app-sync.service.ts): `startLogin`, `answerLoginChallenge`, `unlockKeys`.
   */
  async login(
    target: ServerTarget,
    credentials: Credentials & { recoveryKey?: string },
    approval?: ApprovalWaitHooks,
  ): Promise<{ userId: string }> {
    const started = await this.startLogin(target, credentials.email, credentials.password);
    let grant: SessionGrant;
    if (started.step === 'second-factor') {
      if (credentials.code === undefined) {
        throw new CofferError(
          'AUTH_FAILED',
          'This account has two-factor sign-in: give the code as the second line of standard input with --code-stdin.',
        );
      }
      grant = await this.answerLoginChallenge(
        target,
        started.challengeToken,
        codeMethod(credentials.code),
        credentials.code,
      );
    } else {
      grant = started.grant;
    }
    const unlock: KeyUnlock | undefined =
      credentials.recoveryKey !== undefined
        ? { recoveryKey: credentials.recoveryKey }
        : approval !== undefined
          ? { approval }
          : undefined;
    try {
      return await this.openKeysAndEnrol(target, grant, unlock);
    } catch (error) {
      // A sign-in that stored nothing leaves no open session behind.
      await this.abandonLogin(target, grant);
      throw error;
    }
  }

  /**
   * The first step of a sign-in: email and password. Answers the server's challenge when
   * the account has a second factor, else the session (not stored: its keys are not open).
   */
  async startLogin(target: ServerTarget, email: string, password: string): Promise<LoginStart> {
    this.assertNoAccount();
    return this.withClient(target, async (api) => {
      const answer = await api.login(email, password, this.deps.deviceName);
      if ('mfaRequired' in answer) {
        return {
          step: 'second-factor',
          challengeToken: answer.challengeToken,
          methods: answer.methods,
        };
      }
      return { step: 'unlock-keys', grant: answer };
    });
  }

  /** A code for the server's sign-in challenge; the session once the server accepts it. */
  async answerLoginChallenge(
    target: ServerTarget,
    challengeToken: string,
    method: LoginCodeMethod,
    code: string,
  ): Promise<SessionGrant> {
    return this.withClient(target, (api) => api.loginMfa(challengeToken, method, code));
  }

  /** Assertion options (for the window's ceremony) to answer the sign-in challenge with a passkey. */
  async loginPasskeyOptions(target: ServerTarget, challengeToken: string): Promise<WebauthnJson> {
    return withPasskeyRefusals(() =>
      this.withClient(target, (api) => api.loginPasskeyOptions(challengeToken)),
    );
  }

  /** The window's passkey assertion for the sign-in challenge; the session once accepted. */
  async answerLoginChallengeWithPasskey(
    target: ServerTarget,
    challengeToken: string,
    response: WebauthnJson,
  ): Promise<SessionGrant> {
    return withPasskeyRefusals(() =>
      this.withClient(target, (api) => api.loginMfaPasskey(challengeToken, response)),
    );
  }

  /** Asks the server to email a sign-in code for an open challenge. */
  async sendLoginEmailCode(target: ServerTarget, challengeToken: string): Promise<void> {
    await this.withClient(target, (api) => api.sendLoginEmailCode(challengeToken));
  }

  /**
   * The last step of a sign-in: the user key opened (by the Account Recovery Key, or sealed
   * to this device by a signed-in one), the device enrolled and everything stored. On a
   * failure nothing is stored and the session stays open, so the caller may try again or
   * end it with `abandonLogin`.
   */
  async unlockKeys(
    target: ServerTarget,
    grant: SessionGrant,
    unlock: KeyUnlock,
  ): Promise<{ userId: string }> {
    return this.openKeysAndEnrol(target, grant, unlock);
  }

  private async openKeysAndEnrol(
    target: ServerTarget,
    grant: SessionGrant,
    unlock: KeyUnlock | undefined,
  ): Promise<{ userId: string }> {
    this.assertNoAccount();
    return this.withClient(target, async (api, http) => {
      const keys = await api.ownKeys(grant.token);
      if (keys.userKey === null) {
        throw new CofferError(
          'INVALID_STATE',
          'This account has no user key yet: sign up finished on no device.',
        );
      }
      const expected = {
        userId: grant.user.id,
        version: keys.userKey.version,
        publicKey: bytes(keys.userKey.publicKey),
      };
      let userKey: UserKey;
      let device: X25519KeyPair | undefined;
      if (unlock === undefined) {
        throw new CofferError(
          'USAGE',
          'A new device opens your keys with your Account Recovery Key (--recovery-key-stdin) or by approval from a signed-in device (--approve).',
        );
      } else if ('recoveryKey' in unlock) {
        userKey = this.openWithRecoveryKey(keys.userKey.recoveryBlob, unlock.recoveryKey, expected);
      } else {
        const approvalClient = new DeviceApprovalApiClient(http);
        ({ userKey, device } = await awaitDeviceApproval(approvalClient, grant.token, expected, {
          now: this.now,
          ...unlock.approval,
        }));
      }
      await this.enrolDevice(api, target, grant, userKey, device);
      // Signed in and stored from here on: a workspace that cannot be fetched now is
      // fetched by the next `workspace members` or `sync status`.
      await this.adoptWorkspace(api, grant.token).catch(() => undefined);
      return { userId: grant.user.id };
    });
  }

  /** Ends a session whose sign-in will not finish; best effort, as the server ends it anyway. */
  async abandonLogin(target: ServerTarget, grant: SessionGrant): Promise<void> {
    await this.withClient(target, (api) => api.logout(grant.token)).catch(() => undefined);
  }

  /**
   * Signs this device out: the server ends its session, then the vault forgets the account,
   * its keys and its workspace (its records stay). A server that cannot be reached does not
   * keep the vault signed in: the answer says the session may still stand there, for the
   * user to revoke from another device.
   */
  async signOut(): Promise<{ serverSessionEnded: boolean }> {
    const account = this.repo.account();
    if (account === null) {
      throw new CofferError('SYNC_NOT_SET_UP', 'This vault is not signed in to a sync server.');
    }
    const target: ServerTarget = {
      serverUrl: account.serverUrl,
      ...(account.fingerprint === null ? {} : { fingerprint: account.fingerprint }),
    };
    let serverSessionEnded = true;
    try {
      await this.withClient(target, (api) => api.logout(account.sessionToken));
    } catch (error) {
      // An ended or revoked session is as signed out as a logout would make it.
      if (!isCofferError(error) || !['SESSION_ENDED', 'SESSION_REVOKED'].includes(error.code)) {
        serverSessionEnded = false;
      }
    }
    this.releaseConnection();
    this.deps.vault.transaction(() => this.repo.forgetAccount());
    return { serverSessionEnded };
  }

  /** The user key from its box for the Account Recovery Key; RECOVERY_KEY_WRONG if it does not open. */
  private openWithRecoveryKey(
    recoveryBlob: string,
    recoveryKey: string,
    expected: UserKeyLabel,
  ): UserKey {
    const secret = parseAccountRecoveryKey(recoveryKey);
    try {
      return openUserKeyWithRecovery(
        bytes(recoveryBlob),
        accountRecoveryKeyPair(secret, expected.userId),
        expected,
      );
    } catch (error) {
      if (isCofferError(error) && error.code === 'KEY_UNWRAP_FAILED') {
        throw new CofferError(
          'RECOVERY_KEY_WRONG',
          'That Account Recovery Key does not open this account’s keys; nothing was stored. Check it and try again.',
        );
      }
      throw error;
    } finally {
      secret.fill(0);
    }
  }

  /** The vault's account and workspace; `checkServer` asks the server whether the session still stands. */
  async status(checkServer = true) {
    const account = this.repo.account();
    const outbox =
      (this.deps.vault.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number) ?? 0;
    if (account === null) return { signedIn: false as const, outbox };
    let session: 'active' | 'unreachable' = 'active';
    if (checkServer) {
      try {
        await this.signedIn(async (api, token) => {
          await api.me(token);
          await this.keysUpToDate(api, token, account);
        });
      } catch (error) {
        if (!isCofferError(error) || error.code !== 'SERVER_UNREACHABLE') throw error;
        session = 'unreachable';
      }
    }
    const workspace = this.repo.workspace();
    return {
      signedIn: true as const,
      server: account.serverUrl,
      fingerprint: account.fingerprint === null ? null : formatFingerprint(account.fingerprint),
      session,
      userId: account.userId,
      email: account.email,
      sessionId: account.sessionId,
      userKeyFingerprint: keyFingerprint(importPrivateKey(account.userPrivateKey).publicKey),
      workspace:
        workspace === null
          ? null
          : {
              ...workspaceSummary(workspace),
              keyVersions: this.repo.workspaceKeys(workspace.workspaceId).map((k) => k.version),
            },
      outbox,
      lastSyncAt: account.lastSyncAt === null ? null : new Date(account.lastSyncAt).toISOString(),
    };
  }

  /**
   * Runs `fn` with a push/pull client on the stored session, the vault's workspace and every
   * workspace key version this device holds (newly shared ones are opened first). A revoked
   * session shreds the vault here too (signedIn). WORKSPACE_KEY_PENDING until an admin's
   * device has sealed the key to this user.
   */
  async withWorkspaceSync<T>(
    fn: (
      sync: SyncApiClient,
      workspace: SyncWorkspaceRecord,
      keyring: WorkspaceKeyring,
    ) => Promise<T>,
    options: { refreshKeys?: boolean } = {},
  ): Promise<T> {
    this.requireWorkspace();
    return this.signedIn(async (api, token, account, http) => {
      // The sync loop skips this on rounds that only pull: see engine/vault-sync-loop.ts.
      if (options.refreshKeys !== false) await this.keysCurrent(api, token, account);
      const workspace = this.requireWorkspace();
      const keys = this.repo.workspaceKeys(workspace.workspaceId);
      if (keys.length === 0) {
        throw new CofferError(
          'WORKSPACE_KEY_PENDING',
          'No admin has shared the workspace key with this account yet: ask an admin to run workspace members on their device, then sync again.',
        );
      }
      const keyring = new WorkspaceKeyring(
        workspace.workspaceId,
        keys.map((k) => ({ workspaceId: workspace.workspaceId, version: k.version, key: k.key })),
      );
      const result = await fn(new SyncApiClient(http, token), workspace, keyring);
      this.repo.markSynced(this.now());
      return result;
    });
  }

  /**
   * Runs `fn` with a client on the stored session and the vault's workspace, for requests
   * that need no workspace key (an invoice number). A revoked session shreds here too.
   */
  async withWorkspaceSession<T>(
    fn: (sync: SyncApiClient, workspace: SyncWorkspaceRecord) => Promise<T>,
  ): Promise<T> {
    this.requireWorkspace();
    return this.signedIn((_api, token, _account, http) =>
      fn(new SyncApiClient(http, token), this.requireWorkspace()),
    );
  }

  /** Creates the vault's workspace: a new version-1 workspace key sealed to the user's key. */
  async createWorkspace(name: string): Promise<{ workspaceId: string; name: string }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw new CofferError('INVALID_INPUT', 'A workspace name is 1 to 200 characters.');
    }
    this.assertNoWorkspace();
    return this.signedIn(async (api, token, account) => {
      const keyBytes = randomBytes(WORKSPACE_KEY_BYTES);
      const created = await api.createWorkspace(token, sealWorkspaceName(trimmed, keyBytes));
      const key: WorkspaceKey = { workspaceId: created.id, version: 1, key: keyBytes };
      const userKey = this.userKey(account);
      const sealed = sealWorkspaceKey(key, {
        userId: account.userId,
        publicKey: userKey.pair.publicKey,
      });
      await api.putWorkspaceKeys(token, created.id, 1, [
        {
          userId: account.userId,
          userKeyVersion: account.userKeyVersion,
          sealedKey: b64(sealed.sealed),
        },
      ]);
      this.deps.vault.transaction(() => {
        this.repo.saveWorkspace({
          workspaceId: created.id,
          name: trimmed,
          role: 'admin',
          joinedAt: this.now(),
        });
        this.repo.saveWorkspaceKey(created.id, 1, keyBytes);
        this.deps.vault.changes.enableOutbox();
        skipFirstUploadIfEmpty(this.deps.vault);
      });
      return { workspaceId: created.id, name: trimmed };
    });
  }

  async invite(email: string, role: WorkspaceRole): Promise<{ token: string; expiresAt: string }> {
    const workspace = this.requireWorkspace();
    return this.signedIn((api, token) =>
      api.createInvite(token, workspace.workspaceId, email, role),
    );
  }

  /**
   * Joins with an invite token. The workspace key comes once an admin's device has sealed
   * it to this user (see the class comment): `keyReady` says whether it already has.
   */
  async join(
    invite: string,
  ): Promise<{ workspaceId: string; role: WorkspaceRole; keyReady: boolean; name: string | null }> {
    this.assertNoWorkspace();
    assertNoRecordsToJoinWith(this.deps.vault);
    return this.signedIn(async (api, token, account) => {
      const joined = await api.acceptInvite(token, invite);
      this.deps.vault.transaction(() => {
        this.repo.saveWorkspace({
          workspaceId: joined.workspaceId,
          name: '',
          role: joined.role,
          joinedAt: this.now(),
        });
        this.deps.vault.changes.enableOutbox();
        skipFirstUploadIfEmpty(this.deps.vault);
      });
      await this.keysUpToDate(api, token, account);
      const keyReady = this.repo.workspaceKeys(joined.workspaceId).length > 0;
      const name = this.repo.workspace()?.name ?? '';
      return {
        workspaceId: joined.workspaceId,
        role: joined.role,
        keyReady,
        name: name === '' ? null : name,
      };
    });
  }

  /**
   * The members, each user key pinned on first sight (a changed one is refused with
   * PINNED_KEY_MISMATCH before anything is sealed). On an admin's device holding the
   * workspace key, the current version is sealed to each member who lacks it.
   */
  async members(): Promise<{ members: MemberStatus[]; sealedTo: string[] }> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token, account) => {
      const members = await api.members(token, workspace.workspaceId);
      const labels = new Map(members.map((member) => [member.userId, member.email]));
      await this.keysUpToDate(api, token, account, labels);
      const directory = await api.memberKeyDirectory(token, workspace.workspaceId);
      const keys = directory.members;
      const byId = new Map(members.map((member) => [member.userId, member]));
      // Every key is checked along its signed chain before any is used: one swapped key
      // stops the whole command.
      const verified = this.rotation.verifyMembers(directory, labels);
      const pinned = new Map(verified.map((member) => [member.userId, member.publicKey]));
      const userKeyVersions = new Map(verified.map((m) => [m.userId, m.userKeyVersion]));
      const held = this.repo.workspaceKeys(workspace.workspaceId);
      const current = held.at(-1);
      const role =
        members.find((member) => member.userId === account.userId)?.role ?? workspace.role;
      if (role !== workspace.role) this.repo.saveWorkspace({ ...workspace, role });
      const sealedTo: string[] = [];
      const pendingIds: string[] = [];
      if (role === 'admin' && current !== undefined) {
        const pending = keys.filter(
          (entry) => entry.userKey !== null && !entry.keyVersions.includes(current.version),
        );
        if (pending.length > 0) {
          const key: WorkspaceKey = {
            workspaceId: workspace.workspaceId,
            version: current.version,
            key: current.key,
          };
          await api.putWorkspaceKeys(
            token,
            workspace.workspaceId,
            current.version,
            pending.map((entry) => ({
              userId: entry.userId,
              userKeyVersion: userKeyVersions.get(entry.userId) ?? 1,
              sealedKey: b64(
                sealWorkspaceKey(key, {
                  userId: entry.userId,
                  publicKey: pinnedKey(pinned, entry.userId),
                }).sealed,
              ),
            })),
          );
          for (const entry of pending) {
            pendingIds.push(entry.userId);
            sealedTo.push(byId.get(entry.userId)?.email ?? entry.userId);
          }
        }
      }
      const newest = current?.version ?? 1;
      const sealedIds = new Set(pendingIds);
      return {
        members: keys.map((entry) => {
          const member = byId.get(entry.userId);
          const pin = pinned.get(entry.userId);
          return {
            userId: entry.userId,
            email: member?.email ?? '',
            role: member?.role ?? 'viewer',
            keyFingerprint: pin === undefined ? null : keyFingerprint(pin),
            hasKey: entry.keyVersions.includes(newest) || sealedIds.has(entry.userId),
            secondFactors: memberFactors(member?.secondFactors),
          };
        }),
        sealedTo,
      };
    });
  }

  async setRole(email: string, role: WorkspaceRole, stepUp?: StepUp): Promise<{ userId: string }> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token) => {
      const member = await this.memberByEmail(api, token, workspace.workspaceId, email);
      await this.stepUp(api, token, stepUp);
      await api.setRole(token, workspace.workspaceId, member.userId, role);
      return { userId: member.userId };
    });
  }

  /**
   * Removes a member, then rotates the workspace key for the rest (key-rotation.service.ts):
   * the removed member's devices hold only the versions they had.
   */
  async removeMember(
    email: string,
    stepUp?: StepUp,
  ): Promise<{ userId: string; workspaceKeyVersion: number | null }> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token, account) => {
      const members = await api.members(token, workspace.workspaceId);
      const member = memberWithEmail(members, email);
      await this.stepUp(api, token, stepUp);
      await api.removeMember(token, workspace.workspaceId, member.userId);
      const labels = new Map(members.map((m) => [m.userId, m.email]));
      await this.keysUpToDate(api, token, account, labels);
      return {
        userId: member.userId,
        workspaceKeyVersion: this.repo.workspaceKeys(workspace.workspaceId).at(-1)?.version ?? null,
      };
    });
  }

  /**
   * Elevates this device's session for the server's 10 minutes (the app's step-up). An
   * account with a second factor needs `proof`: without it SECOND_FACTOR_REQUIRED lists them.
   */
  async stepUpSession(
    password: string,
    proof?: { method: LoginCodeMethod; code: string },
  ): Promise<void> {
    await this.signedIn(async (api, token) => {
      const answer = await api.stepUpWith(token, password, proof);
      if (answer.mfaRequired) {
        throw new CofferError(
          'SECOND_FACTOR_REQUIRED',
          'This account confirms with a second factor too: choose one and type its code.',
          { methods: answer.methods },
        );
      }
    });
  }

  /** Assertion options (for the window's ceremony) to step this session up with a passkey. */
  async stepUpPasskeyOptions(): Promise<WebauthnJson> {
    return withPasskeyRefusals(() =>
      this.signedIn((api, token) => api.stepUpPasskeyOptions(token)),
    );
  }

  /**
   * Elevates this device's session with the password and the window's passkey assertion. A
   * refused assertion is PASSKEY_REJECTED, not an ended session: the session stays as it was.
   */
  async stepUpSessionWithPasskey(password: string, response: WebauthnJson): Promise<void> {
    await withPasskeyRefusals(() =>
      this.signedIn((api, token) =>
        api.stepUpWith(token, password, { method: 'webauthn', response }),
      ),
    );
  }

  /** The account's second factors, as the server lists them. */
  async secondFactors(): Promise<SecondFactorsView> {
    return this.signedIn((api, token) => api.secondFactors(token));
  }

  /** Emails a step-up code (the account must have email codes on). */
  async sendStepUpEmailCode(): Promise<void> {
    await this.signedIn((api, token) => api.sendStepUpEmailCode(token));
  }

  /**
   * Ends every other session of the account, then rotates the user key (and the workspace
   * key) away from the devices that held it, as revoking one does.
   */
  async revokeOtherSessions(stepUp?: StepUp): Promise<{ endedSessions: number }> {
    return this.signedIn(async (api, token, account) => {
      await this.stepUp(api, token, stepUp);
      const endedSessions = await api.revokeOtherSessions(token);
      if (endedSessions > 0) await this.keysUpToDate(api, token, account);
      return { endedSessions };
    });
  }

  /** The workspace's security policy, as the server lists the workspace. */
  async policy(): Promise<WorkspacePolicyView> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token) => {
      const listed = (await api.listWorkspaces(token)).find((w) => w.id === workspace.workspaceId);
      return listed?.policy ?? { requireMfa: false, forbidEmailOtp: false };
    });
  }

  async setPolicy(policy: WorkspacePolicyView, stepUp?: StepUp): Promise<WorkspacePolicyView> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      return api.setPolicy(token, workspace.workspaceId, policy);
    });
  }

  /** Every member's open sessions (admins). */
  async memberSessions(): Promise<MemberSessionView[]> {
    const workspace = this.requireWorkspace();
    return this.signedIn((api, token) => api.memberSessions(token, workspace.workspaceId));
  }

  /**
   * Signs out a member's session. The member's own devices rotate their user key away from
   * it when they next see it revoked (key-rotation.service.ts), as for their own revoke.
   */
  async revokeMemberSession(sessionId: string, stepUp?: StepUp): Promise<void> {
    const workspace = this.requireWorkspace();
    await this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      await api.revokeMemberSession(token, workspace.workspaceId, sessionId);
    });
  }

  /** A page of the workspace's audit log, newest first (admins). */
  async audit(
    query: AuditQuery,
  ): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
    const workspace = this.requireWorkspace();
    return this.signedIn((api, token) => api.audit(token, workspace.workspaceId, query));
  }

  /**
   * Changes the account password (after a step-up). Ending the other sessions signs every
   * other device out (they crypto-shred on next contact), so the user key is rotated away
   * from them as for a revocation.
   */
  async changePassword(
    input: { currentPassword: string; newPassword: string; endOtherSessions: boolean },
    stepUp?: StepUp,
  ): Promise<{ endedSessions: number }> {
    return this.signedIn(async (api, token, account) => {
      await this.stepUp(api, token, stepUp);
      const endedSessions = await api.changePassword(token, input);
      if (endedSessions > 0) await this.keysUpToDate(api, token, account);
      return { endedSessions };
    });
  }

  /** Starts authenticator-app setup (after a step-up); on only once `confirmTotp` takes a code. */
  async beginTotp(
    stepUp?: StepUp,
  ): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
    return this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      return api.beginTotp(token);
    });
  }

  /** Turns the authenticator app on with its first code; the new backup codes, shown once. */
  async confirmTotp(code: string, stepUp?: StepUp): Promise<string[]> {
    return this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      return api.confirmTotp(token, code);
    });
  }

  async removeTotp(stepUp?: StepUp): Promise<void> {
    await this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      await api.removeTotp(token);
    });
  }

  async setEmailCodes(
    enabled: boolean,
    stepUp?: StepUp,
  ): Promise<{ enabled: boolean; backupCodes?: string[] }> {
    return this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      return api.setEmailCodes(token, enabled);
    });
  }

  async regenerateBackupCodes(stepUp?: StepUp): Promise<string[]> {
    return this.signedIn(async (api, token) => {
      await this.stepUp(api, token, stepUp);
      return api.regenerateBackupCodes(token);
    });
  }

  /** The account's sign-in history, newest first. */
  async signIns(cursor?: string): Promise<SignInHistoryPage> {
    return this.signedIn((api, token) => api.signIns(token, cursor));
  }

  async sessions(): Promise<SessionView[]> {
    return this.signedIn((api, token) => api.sessions(token));
  }

  async revokeSession(
    sessionId: string,
    stepUp?: StepUp,
  ): Promise<{ userKeyVersion: number; workspaceKeyVersion: number | null }> {
    return this.signedIn(async (api, token, account) => {
      if (sessionId === account.sessionId) {
        throw new CofferError(
          'INVALID_INPUT',
          'That is this device’s own session; revoke it from another device.',
        );
      }
      await this.stepUp(api, token, stepUp);
      await api.revokeSession(token, sessionId);
      // The revoked device holds the current user key: rotate it, then the workspace key.
      const updated = await this.keysUpToDate(api, token, account);
      const workspace = this.repo.workspace();
      return {
        userKeyVersion: updated.userKeyVersion,
        workspaceKeyVersion:
          workspace === null
            ? null
            : (this.repo.workspaceKeys(workspace.workspaceId).at(-1)?.version ?? null),
      };
    });
  }

  async passkeys(): Promise<PasskeyRecordView[]> {
    return this.signedIn((api, token) => api.passkeys(token));
  }

  /**
   * Registration options for the window's ceremony. With `stepUp` (the CLI) the session is
   * stepped up first; without it (the app) a session not stepped up lately gets
   * STEP_UP_REQUIRED, and the window asks and steps up before it tries again.
   */
  async passkeyRegistrationOptions(stepUp?: StepUp): Promise<WebauthnJson> {
    return withPasskeyRefusals(() =>
      this.signedIn(async (api, token) => {
        if (stepUp !== undefined) await this.stepUp(api, token, stepUp);
        return api.passkeyRegistrationOptions(token);
      }),
    );
  }

  async registerPasskey(
    response: WebauthnJson,
    name: string,
    stepUp?: StepUp,
  ): Promise<{ id: string; name: string; createdAt: string; backupCodes?: string[] }> {
    return withPasskeyRefusals(() =>
      this.signedIn(async (api, token) => {
        if (stepUp !== undefined) await this.stepUp(api, token, stepUp);
        return api.registerPasskey(token, response, name);
      }),
    );
  }

  async renamePasskey(id: string, name: string): Promise<{ id: string; name: string }> {
    return withPasskeyRefusals(() =>
      this.signedIn((api, token) => api.renamePasskey(token, id, name)),
    );
  }

  async removePasskey(id: string, stepUp?: StepUp): Promise<void> {
    await withPasskeyRefusals(() =>
      this.signedIn(async (api, token) => {
        if (stepUp !== undefined) await this.stepUp(api, token, stepUp);
        await api.removePasskey(token, id);
      }),
    );
  }

  /** New devices of this account waiting for approval, each with the code derived here. */
  async pendingApprovals(): Promise<PendingApprovalView[]> {
    return this.signedIn((_api, token, account, http) =>
      this.deviceApprovals(http, token, account).pending(),
    );
  }

  /** Seals the user key to a waiting device once `code` matches ours (after a step-up). */
  async approveDevice(id: string, code: string, stepUp?: StepUp): Promise<PendingApprovalView> {
    return this.signedIn((api, token, account, http) =>
      this.deviceApprovals(http, token, account).approve(id, code, () =>
        this.stepUp(api, token, stepUp),
      ),
    );
  }

  async denyDevice(id: string): Promise<void> {
    await this.signedIn((_api, token, account, http) =>
      this.deviceApprovals(http, token, account).deny(id),
    );
  }

  private deviceApprovals(
    http: SyncHttpClient,
    token: string,
    account: SyncAccountRecord,
  ): DeviceApprovals {
    return new DeviceApprovals(
      new DeviceApprovalApiClient(http),
      token,
      this.userKey(account),
      this.now,
    );
  }

  /**
   * Runs `fn` with the stored session. The one place a revoked session is handled: the
   * vault is crypto-shredded and SESSION_REVOKED thrown with what happened.
   */
  private async signedIn<T>(
    fn: (
      api: AccountApiClient,
      token: string,
      account: SyncAccountRecord,
      http: SyncHttpClient,
    ) => Promise<T>,
  ): Promise<T> {
    const account = this.repo.account();
    if (account === null) {
      throw new CofferError(
        'SYNC_NOT_SET_UP',
        'This vault is not signed in to a sync server: run sync register or sync login first.',
      );
    }
    const target: ServerTarget = {
      serverUrl: account.serverUrl,
      ...(account.fingerprint === null ? {} : { fingerprint: account.fingerprint }),
    };
    try {
      return await this.withClient(target, (api, http) =>
        fn(api, account.sessionToken, account, http),
      );
    } catch (error) {
      // MEMBER_REMOVED: the server says so only to a former member, and only for the
      // workspace they were in, which is the one this vault holds.
      const ended = !isCofferError(error)
        ? null
        : error.code === 'SESSION_REVOKED'
          ? new CofferError('SESSION_REVOKED', SHREDDED_MESSAGE, {
              shredded: true,
              vaultDir: this.deps.vault.dir,
            })
          : error.details?.serverCode === 'MEMBER_REMOVED'
            ? new CofferError('MEMBER_REMOVED', REMOVED_MESSAGE, {
                shredded: true,
                vaultDir: this.deps.vault.dir,
              })
            : null;
      if (ended === null) {
        if (isCofferError(error) && error.code === 'MFA_REQUIRED') this.deps.onMfaRequired?.();
        throw error;
      }
      await cryptoShredVault(this.deps.vault, this.deps.keyStore);
      this.deps.onShredded?.(ended);
      throw ended;
    }
  }

  /**
   * Keeps the pinned HTTPS connection open across calls until `releaseConnection`, so a
   * background loop's rounds do not each pay a TLS handshake. Every new connection is still
   * checked against the pin.
   */
  keepConnection(): void {
    this.kept ??= null;
  }

  releaseConnection(): void {
    this.kept?.http.close();
    this.kept = undefined;
  }

  private async withClient<T>(
    target: ServerTarget,
    fn: (api: AccountApiClient, http: SyncHttpClient) => Promise<T>,
  ): Promise<T> {
    if (this.kept !== undefined) {
      const key = `${target.serverUrl} ${target.fingerprint ?? ''}`;
      if (this.kept?.target !== key) {
        this.kept?.http.close();
        this.kept = {
          target: key,
          http: new SyncHttpClient({
            url: target.serverUrl,
            ...(target.fingerprint === undefined ? {} : { fingerprint: target.fingerprint }),
          }),
        };
      }
      return fn(new AccountApiClient(this.kept.http), this.kept.http);
    }
    const http = new SyncHttpClient({
      url: target.serverUrl,
      ...(target.fingerprint === undefined ? {} : { fingerprint: target.fingerprint }),
    });
    try {
      return await fn(new AccountApiClient(http), http);
    } finally {
      http.close();
    }
  }

  /** A fresh device key, the user key sealed to it on the server, everything stored in the vault. */
  private async enrolDevice(
    api: AccountApiClient,
    target: ServerTarget,
    grant: SessionGrant,
    userKey: UserKey,
    given?: X25519KeyPair,
  ): Promise<void> {
    const device = given ?? generateX25519KeyPair();
    await api.putDeviceKey(grant.token, {
      publicKey: b64(device.publicKey),
      userKeyVersion: userKey.version,
      sealedUserKey: b64(sealUserKeyToDevice(userKey, grant.sessionId, device.publicKey)),
      certificate: b64(
        certifyDevice(userKey, { deviceId: grant.sessionId, publicKey: device.publicKey }),
      ),
    });
    const devicePrivateKey = exportPrivateKeyRaw(device.privateKey);
    const userPrivateKey = exportPrivateKeyRaw(userKey.pair.privateKey);
    try {
      this.deps.vault.transaction(() => {
        this.repo.saveAccount({
          serverUrl: serverUrl(target.serverUrl).origin,
          fingerprint: target.fingerprint ?? null,
          userId: grant.user.id,
          email: grant.user.email,
          sessionId: grant.sessionId,
          sessionToken: grant.token,
          devicePrivateKey,
          userKeyVersion: userKey.version,
          userPrivateKey,
          signedInAt: this.now(),
          lastSyncAt: null,
        });
        // The user's own key is the first one pinned (its signing key: user-key-continuity.ts).
        this.repo.pinnedKeys().put({
          userId: grant.user.id,
          publicKey: userSigningKey(userKey).publicKey,
          firstSeenAtMs: this.now(),
          verifiedAtMs: this.now(),
        });
      });
    } finally {
      devicePrivateKey.fill(0);
      userPrivateKey.fill(0);
    }
  }

  /**
   * A new device of a user who is already in a workspace takes it (a vault holds one: the
   * oldest membership) and opens its key with the user key the Recovery Key just opened.
   */
  private async adoptWorkspace(api: AccountApiClient, token: string): Promise<void> {
    const [first] = await api.listWorkspaces(token);
    const account = this.repo.account();
    if (first === undefined || account === null) return;
    this.deps.vault.transaction(() => {
      this.repo.saveWorkspace({
        workspaceId: first.id,
        name: '',
        role: first.role,
        joinedAt: this.now(),
      });
      this.deps.vault.changes.enableOutbox();
      skipFirstUploadIfEmpty(this.deps.vault);
    });
    await this.refreshOwnWorkspaceKeys(api, token, account);
  }

  /**
   * Takes any user key rotation and workspace key rotation that is due (key-rotation.service.ts),
   * then opens the workspace key versions newly sealed to this user. Returns the account as
   * stored afterwards.
   */
  private async keysUpToDate(
    api: AccountApiClient,
    token: string,
    account: SyncAccountRecord,
    labels: ReadonlyMap<string, string> = new Map(),
  ): Promise<SyncAccountRecord> {
    const open = (held: SyncAccountRecord) => this.refreshOwnWorkspaceKeys(api, token, held);
    const updated = await this.rotation.catchUp(api, token, account, open, labels);
    await open(updated);
    return updated;
  }

  /**
   * keysUpToDate, but only when the server's key state (one request) says something is due:
   * before every push this is the whole cost when nothing changed. A server without that
   * route gets the full reading, as before it had one.
   */
  private async keysCurrent(
    api: AccountApiClient,
    token: string,
    account: SyncAccountRecord,
  ): Promise<void> {
    const workspace = this.requireWorkspace();
    let state;
    try {
      state = await api.keyState(token, workspace.workspaceId);
    } catch (error) {
      if (!(isCofferError(error) && error.details?.['serverCode'] === 'NOT_FOUND')) throw error;
      await this.keysUpToDate(api, token, account);
      return;
    }
    const held = {
      userKeyVersion: account.userKeyVersion,
      workspaceKeyVersions: this.repo.workspaceKeys(workspace.workspaceId).map((k) => k.version),
      admin: workspace.role === 'admin',
    };
    if (keyCatchUpDue(state, held)) await this.keysUpToDate(api, token, account);
  }

  /** Opens the workspace key versions sealed to this user that the vault lacks; true when it holds one. */
  private async refreshOwnWorkspaceKeys(
    api: AccountApiClient,
    token: string,
    account: SyncAccountRecord,
  ): Promise<boolean> {
    const workspace = this.repo.workspace();
    if (workspace === null) return false;
    const held = new Set(this.repo.workspaceKeys(workspace.workspaceId).map((k) => k.version));
    // Only boxes sealed to the user key version this device holds open here; one sealed to a
    // newer version waits until this device has taken it (key-rotation.service.ts).
    const sealed = (await api.ownWorkspaceKeys(token, workspace.workspaceId)).filter(
      (entry) => !held.has(entry.keyVersion) && entry.userKeyVersion === account.userKeyVersion,
    );
    if (sealed.length > 0) {
      const userKey = this.userKey(account);
      const opened = sealed.map((entry) =>
        openWorkspaceKey(
          {
            workspaceId: workspace.workspaceId,
            version: entry.keyVersion,
            userId: account.userId,
            sealed: bytes(entry.sealedKey),
          },
          userKey.pair,
        ),
      );
      let name = workspace.name;
      if (name === '') name = await this.workspaceName(api, token, workspace, opened);
      this.deps.vault.transaction(() => {
        for (const key of opened)
          this.repo.saveWorkspaceKey(workspace.workspaceId, key.version, key.key);
        if (name !== workspace.name) this.repo.saveWorkspace({ ...workspace, name });
      });
    }
    return this.repo.workspaceKeys(workspace.workspaceId).length > 0;
  }

  private async workspaceName(
    api: AccountApiClient,
    token: string,
    workspace: SyncWorkspaceRecord,
    opened: WorkspaceKey[],
  ): Promise<string> {
    const first = opened.find((key) => key.version === 1);
    if (first === undefined) return '';
    const listed = (await api.listWorkspaces(token)).find((w) => w.id === workspace.workspaceId);
    return listed === undefined ? '' : openWorkspaceName(listed.nameBlob, first.key);
  }

  private userKey(account: SyncAccountRecord): UserKey {
    return {
      userId: account.userId,
      version: account.userKeyVersion,
      pair: importPrivateKey(account.userPrivateKey),
    };
  }

  private async memberByEmail(
    api: AccountApiClient,
    token: string,
    workspaceId: string,
    email: string,
  ): Promise<MemberView> {
    return memberWithEmail(await api.members(token, workspaceId), email);
  }

  /**
   * The CLI's step-up before each sensitive call. Without `stepUp` (the app) nothing is sent:
   * the session must have been stepped up already (`stepUpSession`), or the server answers
   * STEP_UP_REQUIRED and the window asks for it.
   */
  private async stepUp(api: AccountApiClient, token: string, stepUp?: StepUp): Promise<void> {
    if (stepUp === undefined) return;
    try {
      await api.stepUp(token, stepUp.password, stepUp.code);
    } catch (error) {
      if (error instanceof StepUpNeedsCode) {
        throw new CofferError(
          'AUTH_FAILED',
          'This account has two-factor sign-in: give the code as the second line of standard input with --code-stdin.',
        );
      }
      throw error;
    }
  }

  private assertNoAccount(): void {
    if (this.repo.account() !== null) {
      throw new CofferError('CONFLICT', 'This vault is already signed in to a sync server.');
    }
  }

  private assertNoWorkspace(): void {
    if (this.repo.workspace() !== null) {
      throw new CofferError(
        'CONFLICT',
        'A vault holds one workspace, and this one already has one.',
      );
    }
  }

  private requireWorkspace(): SyncWorkspaceRecord {
    const workspace = this.repo.workspace();
    if (workspace === null) {
      throw new CofferError(
        'INVALID_STATE',
        'This vault has no workspace yet: workspace create or workspace join.',
      );
    }
    return workspace;
  }
}
