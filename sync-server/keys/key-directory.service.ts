import type { Clock } from '../clock.js';
import { HttpError, badRequest, conflict, notFound } from '../http/errors.js';
import type { MemberKeyRecord, WorkspaceKeyRecord } from '../storage/key-directory.repository.js';
import type { Storage } from '../storage/storage.js';

/** Public keys and boxes travel as unpadded base64url, as change envelopes do. */
export interface UserKeyBody {
  version: number;
  publicKey: string;
  recoveryPublicKey: string;
  recoveryBlob: string;
}

export interface DeviceKeyBody {
  publicKey: string;
  userKeyVersion: number;
  sealedUserKey: string;
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
            },
      device:
        device === null
          ? null
          : {
              publicKey: device.publicKey.toString('base64url'),
              userKeyVersion: device.userKeyVersion,
              sealedUserKey: device.sealedUserKey.toString('base64url'),
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

  async memberKeys(workspaceId: string): Promise<{ members: MemberKeyView[] }> {
    const members = await this.deps.storage.keys.memberKeys(workspaceId);
    return { members: members.map(toView) };
  }
}

const toView = (member: MemberKeyRecord): MemberKeyView => ({
  userId: member.userId,
  userKey:
    member.userKey === null
      ? null
      : {
          version: member.userKey.version,
          publicKey: member.userKey.publicKey.toString('base64url'),
        },
  keyVersions: member.keyVersions,
});

const userKeyExists = (): HttpError =>
  conflict('USER_KEY_EXISTS', 'This account already has a user key; it changes only by rotation.');

const userKeyStale = (): HttpError =>
  conflict('USER_KEY_STALE', "That is not the user's current key version.");
