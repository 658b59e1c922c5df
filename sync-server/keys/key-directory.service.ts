import { sessionState } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import { HttpError, badRequest, conflict, notFound } from '../http/errors.js';
import type {
  DeviceKeyRecord,
  MemberKeyRecord,
  UserKeyRecord,
  UserKeyStatementRecord,
  WorkspaceKeyRecord,
} from '../storage/key-directory.repository.js';
import type { Storage } from '../storage/storage.js';

/** Public keys and boxes travel as unpadded base64url, as change envelopes do. */
export interface UserKeyBody {
  version: number;
  publicKey: string;
  recoveryPublicKey: string;
  recoveryBlob: string;
  /** The statement of docs/sync-keys.md (rotation); both or neither. */
  signingPublicKey?: string;
  selfSignature?: string;
}

/** The next user key version, signed by the one before, and its copy for each remaining device. */
export interface UserKeyRotationBody {
  version: number;
  publicKey: string;
  signingPublicKey: string;
  selfSignature: string;
  previousSignature: string;
  recoveryBlob: string;
  devices: { sessionId: string; sealedUserKey: string; certificate: string }[];
}

export interface StatementView {
  version: number;
  publicKey: string;
  recoveryPublicKey: string;
  signingPublicKey: string | null;
  selfSignature: string | null;
  previousSignature: string | null;
}

export interface DeviceKeyBody {
  publicKey: string;
  userKeyVersion: number;
  sealedUserKey: string;
  /** The user key's signature over this device key (docs/sync-keys.md, rotation). */
  certificate?: string;
}

export interface SealedWorkspaceKeyBody {
  userId: string;
  userKeyVersion: number;
  sealedKey: string;
}

export interface MemberKeyView {
  userId: string;
  userKey: { version: number; publicKey: string } | null;
  keyVersions: number[];
  newestSealedToUserKeyVersion: number | null;
  /** Every version of the member's user key with what they signed for it, oldest first. */
  chain: StatementView[];
}

/**
 * Bytes of a base64url field, refusing any text that is not what encoding those bytes
 * gives back (stray bits in the last character, padding): one text per key, so a client
 * comparing what it sent with what it reads back compares bytes.
 */
export function base64urlBytes(field: string, text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw badRequest('INVALID_BASE64', `${field} is not canonical unpadded base64url.`);
  }
  return bytes;
}

const created = (status: 'created' | 'same'): 200 | 201 => (status === 'created' ? 201 : 200);

/**
 * The server side of the key chain (docs/sync-keys.md). It stores what clients sealed and
 * hands it back to the one it is for; it checks who may write what and that the versions
 * line up, and never sees a private key.
 */
export class KeyDirectoryService {
  constructor(private readonly deps: { storage: Storage; clock: Clock }) {}

  /**
   * The user's first user key. A second, different one is refused: replacing a user key
   * is a rotation, which comes with a device's revocation and re-seals it everywhere.
   */
  async putUserKey(userId: string, body: UserKeyBody): Promise<200 | 201> {
    const record = {
      userId,
      version: body.version,
      publicKey: base64urlBytes('publicKey', body.publicKey),
      recoveryPublicKey: base64urlBytes('recoveryPublicKey', body.recoveryPublicKey),
      recoveryBlob: base64urlBytes('recoveryBlob', body.recoveryBlob),
      createdAt: this.deps.clock.now(),
      statement: firstStatement(body),
    };
    const current = await this.deps.storage.keys.currentUserKey(userId);
    if (current === null && body.version !== 1) {
      throw conflict('USER_KEY_VERSION', 'A first user key is version 1.');
    }
    if (current !== null && current.version !== body.version) throw userKeyExists();
    const result = await this.deps.storage.keys.putUserKey(record);
    if (result === 'conflict') throw userKeyExists();
    return created(result);
  }

  async ownKeys(userId: string, sessionId: string) {
    const userKey = await this.deps.storage.keys.currentUserKey(userId);
    const device = await this.deps.storage.keys.findDeviceKey(sessionId);
    return {
      userKey:
        userKey === null
          ? null
          : {
              version: userKey.version,
              publicKey: userKey.publicKey.toString('base64url'),
              recoveryPublicKey: userKey.recoveryPublicKey.toString('base64url'),
              recoveryBlob: userKey.recoveryBlob.toString('base64url'),
              ...(userKey.statement === null
                ? {}
                : {
                    signingPublicKey: userKey.statement.signingPublicKey.toString('base64url'),
                    selfSignature: userKey.statement.selfSignature.toString('base64url'),
                    ...(userKey.statement.previousSignature === null
                      ? {}
                      : {
                          previousSignature:
                            userKey.statement.previousSignature.toString('base64url'),
                        }),
                  }),
            },
      device:
        device === null
          ? null
          : {
              publicKey: device.publicKey.toString('base64url'),
              userKeyVersion: device.userKeyVersion,
              sealedUserKey: device.sealedUserKey.toString('base64url'),
              ...(device.certificate === null
                ? {}
                : { certificate: device.certificate.toString('base64url') }),
            },
    };
  }

  /** This session's device key and the user key sealed to it (by the device itself). */
  async putDeviceKey(userId: string, sessionId: string, body: DeviceKeyBody): Promise<200 | 201> {
    const record = {
      sessionId,
      userId,
      publicKey: base64urlBytes('publicKey', body.publicKey),
      userKeyVersion: body.userKeyVersion,
      sealedUserKey: base64urlBytes('sealedUserKey', body.sealedUserKey),
      createdAt: this.deps.clock.now(),
      certificate:
        body.certificate === undefined ? null : base64urlBytes('certificate', body.certificate),
    };
    const current = await this.deps.storage.keys.currentUserKey(userId);
    if (current === null) {
      throw conflict('USER_KEY_MISSING', 'Upload the user key before a device key.');
    }
    if (current.version !== body.userKeyVersion) throw userKeyStale();
    const result = await this.deps.storage.keys.putDeviceKey(record);
    if (result === 'conflict') {
      throw conflict('DEVICE_KEY_EXISTS', 'This session already has another device key.');
    }
    return created(result);
  }

  /**
   * The user's signed-in devices that hold the current user key (the ones a rotation seals
   * the next version to), and whether a rotation is due: a revoked session still holds the
   * current version. The user's own devices rotate then (docs/sync-keys.md): an admin who
   * revoked a member's device does not hold that member's user key.
   */
  async devices(userId: string) {
    const current = await this.deps.storage.keys.currentUserKey(userId);
    if (current === null) return { userKeyVersion: null, rotationDue: false, devices: [] };
    const { active, revokedHolders } = await this.devicesAt(userId, current.version);
    return {
      userKeyVersion: current.version,
      rotationDue: revokedHolders > 0,
      devices: active.map((device) => ({
        sessionId: device.sessionId,
        publicKey: device.publicKey.toString('base64url'),
        certificate: text(device.certificate),
      })),
    };
  }

  /**
   * Stores the next user key version (from a device of the user that holds the current one),
   * with the copies for every other active device, all at once. 409 USER_KEY_VERSION for any
   * version but the next, DEVICE_SET_CHANGED unless exactly the active devices holding the
   * current version are listed. The same rotation again is 200. The server does not check the
   * signatures: members' devices do, and refuse what does not chain (user-key-continuity.ts).
   */
  async rotateUserKey(userId: string, body: UserKeyRotationBody): Promise<200 | 201> {
    const current = await this.deps.storage.keys.currentUserKey(userId);
    if (current === null) {
      throw conflict('USER_KEY_MISSING', 'There is no user key to rotate yet.');
    }
    if (body.version !== current.version + 1 && body.version !== current.version) {
      throw conflict('USER_KEY_VERSION', `The next user key version is ${current.version + 1}.`);
    }
    const base = body.version - 1;
    const { active } = await this.devicesAt(userId, base);
    const listed = new Map(body.devices.map((d) => [d.sessionId, d]));
    if (
      listed.size !== body.devices.length ||
      listed.size !== active.length ||
      active.some((device) => !listed.has(device.sessionId))
    ) {
      throw conflict(
        'DEVICE_SET_CHANGED',
        'A rotated user key is sealed to exactly the signed-in devices that hold the current one: fetch them again.',
      );
    }
    // The Recovery Key stays: its public half is the one the version before was sealed to.
    const previous =
      base === current.version
        ? current
        : (await this.deps.storage.keys.userKeyChain(userId)).find((k) => k.version === base);
    const now = this.deps.clock.now();
    const record: UserKeyRecord = {
      userId,
      version: body.version,
      publicKey: base64urlBytes('publicKey', body.publicKey),
      recoveryPublicKey: (previous ?? current).recoveryPublicKey,
      recoveryBlob: base64urlBytes('recoveryBlob', body.recoveryBlob),
      createdAt: now,
      statement: {
        signingPublicKey: base64urlBytes('signingPublicKey', body.signingPublicKey),
        selfSignature: base64urlBytes('selfSignature', body.selfSignature),
        previousSignature: base64urlBytes('previousSignature', body.previousSignature),
      },
    };
    const devices: DeviceKeyRecord[] = active.map((device) => ({
      sessionId: device.sessionId,
      userId,
      publicKey: device.publicKey,
      userKeyVersion: body.version,
      sealedUserKey: base64urlBytes(
        'sealedUserKey',
        listed.get(device.sessionId)?.sealedUserKey ?? '',
      ),
      createdAt: now,
      certificate: base64urlBytes('certificate', listed.get(device.sessionId)?.certificate ?? ''),
    }));
    const result = await this.deps.storage.keys.rotateUserKey(record, devices);
    if (result === 'conflict') throw userKeyExists();
    return created(result);
  }

  /** Active sessions of the user with a device key for `version`, and how many revoked ones hold it. */
  private async devicesAt(userId: string, version: number) {
    const now = this.deps.clock.now();
    const sessions = new Map(
      (await this.deps.storage.sessions.listForUser(userId)).map((s) => [s.id, s]),
    );
    const holders = (await this.deps.storage.keys.deviceKeysForUser(userId)).filter(
      (device) => device.userKeyVersion === version,
    );
    const active: DeviceKeyRecord[] = [];
    let revokedHolders = 0;
    for (const device of holders) {
      const session = sessions.get(device.sessionId);
      if (session === undefined) continue;
      if (session.revokedReason === 'revoked') revokedHolders += 1;
      else if (sessionState(session, now) === 'active') active.push(device);
    }
    return { active, revokedHolders };
  }

  /** The versions of the workspace key sealed to the caller. */
  async ownWorkspaceKeys(workspaceId: string, userId: string) {
    const rows = await this.deps.storage.keys.listWorkspaceKeys(workspaceId, userId);
    return {
      keys: rows.map((row) => ({
        keyVersion: row.keyVersion,
        userKeyVersion: row.userKeyVersion,
        sealedKey: row.sealedKey.toString('base64url'),
      })),
    };
  }

  /**
   * One version of the workspace key sealed to members, all or nothing: each must be a
   * member, sealed to their current user key; versions come without gaps.
   */
  async putWorkspaceKeys(
    workspaceId: string,
    callerId: string,
    keyVersion: number,
    sealed: readonly SealedWorkspaceKeyBody[],
  ): Promise<void> {
    const ids = new Set(sealed.map((entry) => entry.userId));
    if (ids.size !== sealed.length) {
      throw badRequest('DUPLICATE_MEMBER', 'Each member appears once in sealed.');
    }
    const now = this.deps.clock.now();
    const records: WorkspaceKeyRecord[] = sealed.map((entry) => ({
      workspaceId,
      keyVersion,
      userId: entry.userId,
      userKeyVersion: entry.userKeyVersion,
      sealedKey: base64urlBytes('sealedKey', entry.sealedKey),
      createdBy: callerId,
      createdAt: now,
    }));
    const result = await this.deps.storage.transaction(async () => {
      const members = new Map(
        (await this.deps.storage.keys.memberKeys(workspaceId)).map((m) => [m.userId, m]),
      );
      for (const record of records) {
        const member = members.get(record.userId);
        if (member === undefined) {
          throw notFound('MEMBER_NOT_FOUND', 'No such member of this workspace.');
        }
        if (member.userKey?.version !== record.userKeyVersion) throw userKeyStale();
      }
      const newest = await this.deps.storage.keys.newestWorkspaceKeyVersion(workspaceId);
      if (keyVersion > newest + 1) {
        throw conflict('KEY_VERSION_GAP', `The next workspace key version is ${newest + 1}.`);
      }
      return this.deps.storage.keys.putWorkspaceKeys(records);
    });
    if (result === 'conflict') {
      throw conflict(
        'WORKSPACE_KEY_EXISTS',
        'A member already holds another key under that version.',
      );
    }
  }

  /**
   * Members' keys, with each one's signed chain of user key versions, and whether the
   * workspace key is due for rotation: someone who is no longer a member holds its newest
   * version, or a member's copy of it is sealed to a user key they have since rotated.
   */
  async memberKeys(
    workspaceId: string,
  ): Promise<{ members: MemberKeyView[]; rotationDue: boolean }> {
    const members = await this.deps.storage.keys.memberKeys(workspaceId);
    const views = await Promise.all(
      members.map(async (member) =>
        toView(member, await this.deps.storage.keys.userKeyChain(member.userId)),
      ),
    );
    return { members: views, rotationDue: await this.workspaceRotationDue(workspaceId, members) };
  }

  /**
   * In one answer, what a device checks before it pushes (docs/sync-keys.md, "Before a
   * push"): the caller's current user key version and whether it is due for rotation, whether
   * the workspace key is, and which workspace key versions are sealed to the caller. Only when
   * one of these differs from what the device holds does it read the full directory.
   */
  async keyState(workspaceId: string, userId: string) {
    const own = await this.devices(userId);
    const sealed = await this.deps.storage.keys.listWorkspaceKeys(workspaceId, userId);
    return {
      userKeyVersion: own.userKeyVersion,
      userKeyRotationDue: own.rotationDue,
      workspaceKeyRotationDue: await this.workspaceRotationDue(
        workspaceId,
        await this.deps.storage.keys.memberKeys(workspaceId),
      ),
      sealedToYou: sealed.map((row) => ({
        keyVersion: row.keyVersion,
        userKeyVersion: row.userKeyVersion,
      })),
    };
  }

  /**
   * Someone who is no longer a member holds the newest workspace key version, or a member's
   * copy of it is sealed to a user key they have since rotated.
   */
  private async workspaceRotationDue(
    workspaceId: string,
    members: readonly {
      userKey: { version: number } | null;
      newestSealedToUserKeyVersion: number | null;
    }[],
  ): Promise<boolean> {
    const stale = members.some(
      (m) =>
        m.userKey !== null &&
        m.newestSealedToUserKeyVersion !== null &&
        m.newestSealedToUserKeyVersion < m.userKey.version,
    );
    if (stale) return true;
    return (await this.deps.storage.keys.formerMembersHoldingNewest(workspaceId)) > 0;
  }
}

function firstStatement(body: UserKeyBody): UserKeyStatementRecord | null {
  if (body.signingPublicKey === undefined && body.selfSignature === undefined) return null;
  if (body.signingPublicKey === undefined || body.selfSignature === undefined) {
    throw badRequest('STATEMENT_INCOMPLETE', 'signingPublicKey and selfSignature come together.');
  }
  return {
    signingPublicKey: base64urlBytes('signingPublicKey', body.signingPublicKey),
    selfSignature: base64urlBytes('selfSignature', body.selfSignature),
    previousSignature: null,
  };
}

const text = (bytes: Buffer | null | undefined): string | null =>
  bytes === null || bytes === undefined ? null : bytes.toString('base64url');

const toView = (member: MemberKeyRecord, chain: UserKeyRecord[]): MemberKeyView => ({
  userId: member.userId,
  userKey:
    member.userKey === null
      ? null
      : {
          version: member.userKey.version,
          publicKey: member.userKey.publicKey.toString('base64url'),
        },
  keyVersions: member.keyVersions,
  newestSealedToUserKeyVersion: member.newestSealedToUserKeyVersion,
  chain: chain.map((key) => ({
    version: key.version,
    publicKey: key.publicKey.toString('base64url'),
    recoveryPublicKey: key.recoveryPublicKey.toString('base64url'),
    signingPublicKey: text(key.statement?.signingPublicKey),
    selfSignature: text(key.statement?.selfSignature),
    previousSignature: text(key.statement?.previousSignature),
  })),
});

const userKeyExists = (): HttpError =>
  conflict('USER_KEY_EXISTS', 'This account already has a user key; it changes only by rotation.');

const userKeyStale = (): HttpError =>
  conflict('USER_KEY_STALE', "That is not the user's current key version.");
