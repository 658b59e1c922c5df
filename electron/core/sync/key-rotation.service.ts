import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { Vault } from '../vault/vault.js';
import type {
  AccountApiClient,
  MemberKeyDirectory,
  OwnKeys,
  StatementView,
} from './client/account-api.client.js';
import { certifyDevice, deviceCertificateHolds } from './crypto/device-certificate.js';
import { applyUserKeyPin } from './crypto/user-key-continuity.js';
import { rotateUserKey } from './crypto/user-key-rotation.js';
import {
  followsFrom,
  selfSignatureHolds,
  type UserKeyStatement,
} from './crypto/user-key-statement.js';
import { openUserKeyOnDevice, type UserKey } from './crypto/user-key.js';
import { userSigningKey } from './crypto/user-signing-key.js';
import { rotateWorkspaceKey } from './crypto/workspace-key-rotation.js';
import { WorkspaceKeyring } from './crypto/workspace-keyring.js';
import { exportPrivateKeyRaw, importPrivateKey } from './crypto/x25519-key-pair.js';
import type { SyncAccountRecord, SyncAccountRepository } from './sync-account.repository.js';

export interface KeyRotationDeps {
  vault: Vault;
  repo: SyncAccountRepository;
  now: () => number;
}

/** A member whose current user key this device has checked along its signed chain. */
export interface VerifiedMember {
  userId: string;
  userKeyVersion: number;
  publicKey: Buffer;
  /** Workspace key versions sealed to them. */
  keyVersions: number[];
}

/** Opens the workspace key versions sealed to `account`'s user key that the vault lacks. */
export type OpenHeldKeys = (account: SyncAccountRecord) => Promise<unknown>;

const b64 = (bytes: Buffer): string => bytes.toString('base64url');
const bytes = (text: string | null | undefined): Buffer => Buffer.from(text ?? '', 'base64url');

/**
 * Key rotation on revocation and removal (docs/sync-keys.md, "Rotation"). Who rotates:
 * - a user key: the device that revokes one of its user's other devices, right away; or,
 *   when an admin revoked the device (and holds no user key of that member), any other
 *   device of that member at its next sync, since the server then reports a revoked
 *   session still holding the current version;
 * - a workspace key: the removing admin's device right away, and any admin's device at its
 *   next sync when the server reports a former member holding the newest version or a
 *   member whose user key moved on since it was sealed to them.
 * Every key taken from the server is checked first: members' user keys along their signed
 * chain, this user's own new version against the version this device holds, devices by the
 * certificate the user key signed, the Recovery Key by the statement that names it.
 */
export class KeyRotationService {
  constructor(private readonly deps: KeyRotationDeps) {}

  /**
   * Brings this device's keys up to date before it syncs: takes a newer user key made on
   * another of the user's devices, rotates the user key when a revoked device still holds
   * it, and — on an admin's device — rotates the workspace key when one is due. Returns the
   * account as stored afterwards.
   */
  async catchUp(
    api: AccountApiClient,
    token: string,
    start: SyncAccountRecord,
    openHeldKeys: OpenHeldKeys,
    labels: ReadonlyMap<string, string> = new Map(),
  ): Promise<SyncAccountRecord> {
    let account = start;
    const own = await api.ownKeys(token);
    if (own.userKey !== null && own.userKey.version > account.userKeyVersion) {
      await openHeldKeys(account);
      account = await this.adoptNewerUserKey(api, token, account, own);
    }
    const devices = await api.deviceKeys(token);
    if (devices.rotationDue && devices.userKeyVersion === account.userKeyVersion) {
      await openHeldKeys(account);
      account = await this.rotateOwnUserKey(api, token, account);
    }
    const workspace = this.deps.repo.workspace();
    if (
      workspace?.role === 'admin' &&
      this.deps.repo.workspaceKeys(workspace.workspaceId).length > 0
    ) {
      const directory = await api.memberKeyDirectory(token, workspace.workspaceId);
      if (directory.rotationDue) {
        await openHeldKeys(account);
        const members = this.verifyMembers(directory, labels);
        await this.rotateWorkspace(api, token, workspace.workspaceId, members);
      }
    }
    return account;
  }

  /**
   * Each member's current user key, pinned or moved along its signed chain
   * (user-key-continuity.ts); PINNED_KEY_MISMATCH before anything is sealed if one fails.
   */
  verifyMembers(
    directory: MemberKeyDirectory,
    labels: ReadonlyMap<string, string>,
  ): VerifiedMember[] {
    const store = this.deps.repo.pinnedKeys();
    const verified: VerifiedMember[] = [];
    for (const member of directory.members) {
      if (member.userKey === null) continue;
      const chain = member.chain.map((view) => toStatement(member.userId, view));
      const current = applyUserKeyPin(store, member.userId, chain, {
        userLabel: labels.get(member.userId) ?? member.userId,
        nowMs: this.deps.now(),
      });
      if (
        current.version !== member.userKey.version ||
        b64(current.publicKey) !== member.userKey.publicKey
      ) {
        throw new CofferError(
          'PINNED_KEY_MISMATCH',
          `The server lists a key for ${labels.get(member.userId) ?? member.userId} that its own chain of keys does not end in. Nothing was shared.`,
          { userId: member.userId },
        );
      }
      verified.push({
        userId: member.userId,
        userKeyVersion: current.version,
        publicKey: current.publicKey,
        keyVersions: member.keyVersions,
      });
    }
    return verified;
  }

  /**
   * The next workspace key version, sealed to every member with a checked user key, and
   * kept here. Someone removed gets no copy; a member whose device was revoked gets it sealed
   * to their rotated user key, which that device does not hold. Returns the new version, or
   * null when another admin's device rotated first (its version is opened at the next sync).
   */
  async rotateWorkspace(
    api: AccountApiClient,
    token: string,
    workspaceId: string,
    members: readonly VerifiedMember[],
  ): Promise<number | null> {
    const keyring = new WorkspaceKeyring(
      workspaceId,
      this.deps.repo
        .workspaceKeys(workspaceId)
        .map((k) => ({ workspaceId, version: k.version, key: k.key })),
    );
    try {
      const rotation = rotateWorkspaceKey(keyring, members);
      const versions = new Map(members.map((m) => [m.userId, m.userKeyVersion]));
      try {
        await api.putWorkspaceKeys(
          token,
          workspaceId,
          rotation.key.version,
          rotation.sealed.map((entry) => ({
            userId: entry.userId,
            userKeyVersion: versions.get(entry.userId) ?? 1,
            sealedKey: b64(entry.sealed),
          })),
        );
      } catch (error) {
        if (isCofferError(error) && error.details?.serverCode === 'WORKSPACE_KEY_EXISTS')
          return null;
        throw error;
      }
      this.deps.repo.saveWorkspaceKey(workspaceId, rotation.key.version, rotation.key.key);
      return rotation.key.version;
    } finally {
      keyring.wipe();
    }
  }

  /**
   * Rotates this user's key: version n+1, signed by version n, sealed to the Recovery Key
   * named in version n's statement and to every remaining device whose certificate version n
   * signed. The revoked device holds version n only.
   */
  async rotateOwnUserKey(
    api: AccountApiClient,
    token: string,
    account: SyncAccountRecord,
  ): Promise<SyncAccountRecord> {
    const current = userKeyOf(account);
    const own = await api.ownKeys(token);
    if (own.userKey?.version !== current.version) {
      throw new CofferError('INVALID_STATE', 'This device does not hold the current user key.');
    }
    const statement: UserKeyStatement = {
      userId: account.userId,
      version: current.version,
      publicKey: current.pair.publicKey,
      signingPublicKey: userSigningKey(current).publicKey,
      recoveryPublicKey: bytes(own.userKey.recoveryPublicKey),
      selfSignature: bytes(own.userKey.selfSignature),
      previousSignature: null,
    };
    if (!selfSignatureHolds(statement)) {
      throw new CofferError(
        'PINNED_KEY_MISMATCH',
        'The server lists a Recovery Key for this account that your key never signed: the user key was not rotated.',
      );
    }
    const listed = (await api.deviceKeys(token)).devices;
    const devices = listed.map((d) => ({ deviceId: d.sessionId, publicKey: bytes(d.publicKey) }));
    listed.forEach((device, index) => {
      const certified = devices[index];
      if (
        certified === undefined ||
        !deviceCertificateHolds(current, certified, bytes(device.certificate))
      ) {
        throw new CofferError(
          'PINNED_KEY_MISMATCH',
          `The server lists a device (${device.sessionId}) that your key never vouched for: the user key was not rotated.`,
          { sessionId: device.sessionId },
        );
      }
    });
    const rotation = rotateUserKey(current, devices, statement.recoveryPublicKey);
    const next = rotation.statement;
    const sealed = new Map(rotation.toDevices.map((entry) => [entry.deviceId, entry.sealed]));
    await api.rotateUserKey(token, {
      version: next.version,
      publicKey: b64(next.publicKey),
      signingPublicKey: b64(next.signingPublicKey),
      selfSignature: b64(next.selfSignature),
      previousSignature: b64(next.previousSignature ?? Buffer.alloc(0)),
      recoveryBlob: b64(rotation.toRecovery),
      devices: devices.map((device) => ({
        sessionId: device.deviceId,
        sealedUserKey: b64(sealed.get(device.deviceId) ?? Buffer.alloc(0)),
        // Vouches for the device under the new version, for the rotation after this one.
        certificate: b64(certifyDevice(rotation.userKey, device)),
      })),
    });
    return this.keep(account, rotation.userKey, next.signingPublicKey);
  }

  /**
   * Takes the user key version another of this user's devices made: only when it is signed
   * by the version this device holds (directly, or along the chain the workspace lists), and
   * opened with this device's own key.
   */
  private async adoptNewerUserKey(
    api: AccountApiClient,
    token: string,
    account: SyncAccountRecord,
    own: OwnKeys,
  ): Promise<SyncAccountRecord> {
    const listed = own.userKey;
    const device = own.device;
    if (listed === null || device === null || device.userKeyVersion !== listed.version) {
      throw new CofferError(
        'INVALID_STATE',
        'Your user key was rotated, but not sealed to this device: sign in here again with your Account Recovery Key.',
      );
    }
    const current = userKeyOf(account);
    const next: UserKeyStatement = {
      userId: account.userId,
      version: listed.version,
      publicKey: bytes(listed.publicKey),
      signingPublicKey: bytes(listed.signingPublicKey),
      recoveryPublicKey: bytes(listed.recoveryPublicKey),
      selfSignature: bytes(listed.selfSignature),
      previousSignature:
        listed.previousSignature === undefined ? null : bytes(listed.previousSignature),
    };
    const held = {
      userId: account.userId,
      version: current.version,
      signingPublicKey: userSigningKey(current).publicKey,
    };
    const workspace = this.deps.repo.workspace();
    if (next.version === current.version + 1) {
      if (!selfSignatureHolds(next) || !followsFrom(held, next)) throw notOurs();
    } else if (workspace !== null) {
      const directory = await api.memberKeyDirectory(token, workspace.workspaceId);
      const self = directory.members.find((m) => m.userId === account.userId);
      const chain = (self?.chain ?? []).map((view) => toStatement(account.userId, view));
      const store = this.deps.repo.pinnedKeys();
      const end = applyUserKeyPin(store, account.userId, chain, {
        userLabel: 'your account',
        nowMs: this.deps.now(),
      });
      if (end.version !== next.version || !end.publicKey.equals(next.publicKey)) throw notOurs();
    } else {
      // Two or more versions on and no workspace to list the steps: nothing sealed to the
      // newer key can concern this vault yet, so it waits until it joins one.
      return account;
    }
    const opened = openUserKeyOnDevice(
      bytes(device.sealedUserKey),
      account.sessionId,
      importPrivateKey(account.devicePrivateKey),
      { userId: account.userId, version: next.version, publicKey: next.publicKey },
    );
    return this.keep(account, opened, next.signingPublicKey);
  }

  /** Stores the user key version this device now holds, and pins its signing key as the user's own. */
  private keep(
    account: SyncAccountRecord,
    userKey: UserKey,
    signingPublicKey: Buffer,
  ): SyncAccountRecord {
    const raw = exportPrivateKeyRaw(userKey.pair.privateKey);
    try {
      this.deps.vault.transaction(() => {
        this.deps.repo.saveUserKey(userKey.version, raw);
        const pins = this.deps.repo.pinnedKeys();
        const pinned = pins.get(account.userId);
        pins.put({
          userId: account.userId,
          publicKey: signingPublicKey,
          firstSeenAtMs: pinned?.firstSeenAtMs ?? this.deps.now(),
          verifiedAtMs: this.deps.now(),
        });
      });
      return { ...account, userKeyVersion: userKey.version, userPrivateKey: Buffer.from(raw) };
    } finally {
      raw.fill(0);
    }
  }
}

export function userKeyOf(account: SyncAccountRecord): UserKey {
  return {
    userId: account.userId,
    version: account.userKeyVersion,
    pair: importPrivateKey(account.userPrivateKey),
  };
}

function toStatement(userId: string, view: StatementView): UserKeyStatement {
  return {
    userId,
    version: view.version,
    publicKey: bytes(view.publicKey),
    recoveryPublicKey: bytes(view.recoveryPublicKey),
    signingPublicKey: bytes(view.signingPublicKey),
    selfSignature: bytes(view.selfSignature),
    previousSignature: view.previousSignature === null ? null : bytes(view.previousSignature),
  };
}

const notOurs = (): CofferError =>
  new CofferError(
    'PINNED_KEY_MISMATCH',
    'The server offers this device a new user key for your account that the key it holds did not sign: it was not taken.',
  );
