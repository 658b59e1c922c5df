import { randomBytes } from 'node:crypto';

import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { WorkspaceRole } from '../../../shared/sync/workspace-roles.js';
import type { KeyStore } from '../vault/key-store.js';
import type { Vault } from '../vault/vault.js';
import { AccountApiClient, StepUpNeedsCode, codeMethod } from './client/account-api.client.js';
import type { MemberView, SessionGrant, SessionView } from './client/account-api.client.js';
import { formatFingerprint } from './client/pinned-agent.js';
import { SyncApiClient } from './client/sync-api.client.js';
import { SyncHttpClient, serverUrl } from './client/sync-http.client.js';
import {
  accountRecoveryKeyPair,
  formatAccountRecoveryKey,
  generateAccountRecoverySecret,
  parseAccountRecoveryKey,
} from './crypto/account-recovery-key.js';
import { applyPin, keyFingerprint } from './crypto/key-pinning.js';
import {
  generateUserKey,
  openUserKeyWithRecovery,
  sealUserKeyToDevice,
  sealUserKeyToRecovery,
} from './crypto/user-key.js';
import type { UserKey } from './crypto/user-key.js';
import { WORKSPACE_KEY_BYTES, openWorkspaceKey, sealWorkspaceKey } from './crypto/workspace-key.js';
import type { WorkspaceKey } from './crypto/workspace-key.js';
import { WorkspaceKeyring } from './crypto/workspace-keyring.js';
import {
  exportPrivateKeyRaw,
  generateX25519KeyPair,
  importPrivateKey,
} from './crypto/x25519-key-pair.js';
import { SHREDDED_MESSAGE, cryptoShredVault } from './crypto-shred.js';
import { assertNoRecordsToJoinWith } from './engine/state-upload.js';
import { SyncAccountRepository } from './sync-account.repository.js';
import type { SyncAccountRecord, SyncWorkspaceRecord } from './sync-account.repository.js';
import { openWorkspaceName, sealWorkspaceName } from './workspace-name.js';

export interface SyncAccountDeps {
  vault: Vault;
  keyStore: KeyStore;
  /** Shown in the account's session list (e.g. the host name). */
  deviceName: string;
  now?: () => number;
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

export interface MemberStatus {
  userId: string;
  email: string;
  role: WorkspaceRole;
  /** The member's user key fingerprint as pinned here, null until they have a key. */
  keyFingerprint: string | null;
  /** Holds the current workspace key version. */
  hasKey: boolean;
}

function pinnedKey(pinned: ReadonlyMap<string, Buffer>, userId: string): Buffer {
  const key = pinned.get(userId);
  if (key === undefined)
    throw new CofferError('INTERNAL', 'A member key was used before it was pinned.');
  return key;
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

  constructor(private readonly deps: SyncAccountDeps) {
    this.repo = new SyncAccountRepository(deps.vault.db);
    this.now = deps.now ?? (() => deps.vault.now());
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
        await api.putUserKey(grant.token, {
          version: 1,
          publicKey: b64(userKey.pair.publicKey),
          recoveryPublicKey: b64(recovery.publicKey),
          recoveryBlob: b64(sealUserKeyToRecovery(userKey, recovery.publicKey)),
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
   * signed out again and nothing is stored.
   */
  async login(
    target: ServerTarget,
    credentials: Credentials & { recoveryKey?: string },
  ): Promise<{ userId: string }> {
    this.assertNoAccount();
    return this.withClient(target, async (api) => {
      let answer = await api.login(credentials.email, credentials.password, this.deps.deviceName);
      if ('mfaRequired' in answer) {
        if (credentials.code === undefined) {
          throw new CofferError(
            'AUTH_FAILED',
            'This account has two-factor sign-in: give the code as the second line of standard input with --code-stdin.',
          );
        }
        answer = await api.loginMfa(
          answer.challengeToken,
          codeMethod(credentials.code),
          credentials.code,
        );
      }
      const grant = answer;
      try {
        const keys = await api.ownKeys(grant.token);
        if (keys.userKey === null) {
          throw new CofferError(
            'INVALID_STATE',
            'This account has no user key yet: sign up finished on no device.',
          );
        }
        if (credentials.recoveryKey === undefined) {
          throw new CofferError(
            'USAGE',
            'A new device opens your keys with your Account Recovery Key: give it on standard input with --recovery-key-stdin.',
          );
        }
        const secret = parseAccountRecoveryKey(credentials.recoveryKey);
        let userKey: UserKey;
        try {
          userKey = openUserKeyWithRecovery(
            bytes(keys.userKey.recoveryBlob),
            accountRecoveryKeyPair(secret, grant.user.id),
            {
              userId: grant.user.id,
              version: keys.userKey.version,
              publicKey: bytes(keys.userKey.publicKey),
            },
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
        await this.enrolDevice(api, target, grant, userKey);
      } catch (error) {
        // A sign-in that stored nothing leaves no open session behind.
        await api.logout(grant.token).catch(() => undefined);
        throw error;
      }
      // Signed in and stored from here on: a workspace that cannot be fetched now is
      // fetched by the next `workspace members` or `sync status`.
      await this.adoptWorkspace(api, grant.token).catch(() => undefined);
      return { userId: grant.user.id };
    });
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
          await this.refreshOwnWorkspaceKeys(api, token, account);
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
              id: workspace.workspaceId,
              name: workspace.name === '' ? null : workspace.name,
              role: workspace.role,
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
  ): Promise<T> {
    this.requireWorkspace();
    return this.signedIn(async (api, token, account, http) => {
      await this.refreshOwnWorkspaceKeys(api, token, account);
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
      });
      const keyReady = await this.refreshOwnWorkspaceKeys(api, token, account);
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
      await this.refreshOwnWorkspaceKeys(api, token, account);
      const [members, keys] = await Promise.all([
        api.members(token, workspace.workspaceId),
        api.memberKeys(token, workspace.workspaceId),
      ]);
      const byId = new Map(members.map((member) => [member.userId, member]));
      const pins = this.repo.pinnedKeys();
      const pinned = new Map<string, Buffer>();
      // Every key is checked before any is used: one swapped key stops the whole command.
      for (const entry of keys) {
        if (entry.userKey === null) continue;
        const member = byId.get(entry.userId);
        const publicKey = applyPin(
          pins,
          { userId: entry.userId, publicKey: bytes(entry.userKey.publicKey) },
          { userLabel: member?.email ?? entry.userId, nowMs: this.now() },
        );
        pinned.set(entry.userId, publicKey);
      }
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
              userKeyVersion: entry.userKey?.version ?? 1,
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
          };
        }),
        sealedTo,
      };
    });
  }

  async setRole(email: string, role: WorkspaceRole, stepUp: StepUp): Promise<{ userId: string }> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token) => {
      const member = await this.memberByEmail(api, token, workspace.workspaceId, email);
      await this.stepUp(api, token, stepUp);
      await api.setRole(token, workspace.workspaceId, member.userId, role);
      return { userId: member.userId };
    });
  }

  async removeMember(email: string, stepUp: StepUp): Promise<{ userId: string }> {
    const workspace = this.requireWorkspace();
    return this.signedIn(async (api, token) => {
      const member = await this.memberByEmail(api, token, workspace.workspaceId, email);
      await this.stepUp(api, token, stepUp);
      await api.removeMember(token, workspace.workspaceId, member.userId);
      return { userId: member.userId };
    });
  }

  async sessions(): Promise<SessionView[]> {
    return this.signedIn((api, token) => api.sessions(token));
  }

  async revokeSession(sessionId: string, stepUp: StepUp): Promise<void> {
    await this.signedIn(async (api, token, account) => {
      if (sessionId === account.sessionId) {
        throw new CofferError(
          'INVALID_INPUT',
          'That is this device’s own session; revoke it from another device.',
        );
      }
      await this.stepUp(api, token, stepUp);
      await api.revokeSession(token, sessionId);
    });
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
      if (isCofferError(error) && error.code === 'SESSION_REVOKED') {
        await cryptoShredVault(this.deps.vault, this.deps.keyStore);
        throw new CofferError('SESSION_REVOKED', SHREDDED_MESSAGE, {
          shredded: true,
          vaultDir: this.deps.vault.dir,
        });
      }
      throw error;
    }
  }

  private async withClient<T>(
    target: ServerTarget,
    fn: (api: AccountApiClient, http: SyncHttpClient) => Promise<T>,
  ): Promise<T> {
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
  ): Promise<void> {
    const device = generateX25519KeyPair();
    await api.putDeviceKey(grant.token, {
      publicKey: b64(device.publicKey),
      userKeyVersion: userKey.version,
      sealedUserKey: b64(sealUserKeyToDevice(userKey, grant.sessionId, device.publicKey)),
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
        // The user's own key is the first one pinned.
        this.repo.pinnedKeys().put({
          userId: grant.user.id,
          publicKey: userKey.pair.publicKey,
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
    });
    await this.refreshOwnWorkspaceKeys(api, token, account);
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
    const sealed = (await api.ownWorkspaceKeys(token, workspace.workspaceId)).filter(
      (entry) => !held.has(entry.keyVersion),
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
    const wanted = email.trim().toLowerCase();
    const member = (await api.members(token, workspaceId)).find(
      (m) => m.email.toLowerCase() === wanted,
    );
    if (member === undefined)
      throw new CofferError('NOT_FOUND', `${email} is not a member of this workspace.`);
    return member;
  }

  private async stepUp(api: AccountApiClient, token: string, stepUp: StepUp): Promise<void> {
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
