/**
 * The key directory: what the key chain of docs/sync-keys.md needs the server to hold. Only
 * public keys and sealed boxes — the server cannot open any of them. Every method returns a
 * Promise so a PostgreSQL implementation fits behind the same interface; each `put` is one
 * atomic step on its own.
 */

/** A user's key pair as the server knows it: the public half and the box for the Recovery Key. */
export interface UserKeyRecord {
  userId: string;
  version: number;
  /** Raw 32-byte X25519 public key. */
  publicKey: Buffer;
  /** Raw 32-byte public key of the Account Recovery Key pair. */
  recoveryPublicKey: Buffer;
  /** The user's private key sealed to `recoveryPublicKey`. */
  recoveryBlob: Buffer;
  createdAt: number;
  /** What the user signed for this version (docs/sync-keys.md, rotation); null on old rows. */
  statement: UserKeyStatementRecord | null;
}

export interface UserKeyStatementRecord {
  /** Raw 32-byte Ed25519 public key of this version. */
  signingPublicKey: Buffer;
  /** 64 bytes, by `signingPublicKey`. */
  selfSignature: Buffer;
  /** 64 bytes, by the previous version's signing key; null for version 1. */
  previousSignature: Buffer | null;
}

/** A device (one session) with its public key and the user key sealed to it. */
export interface DeviceKeyRecord {
  sessionId: string;
  userId: string;
  publicKey: Buffer;
  userKeyVersion: number;
  sealedUserKey: Buffer;
  createdAt: number;
  /** 64-byte signature by the user key version's signing key over this device key, or null. */
  certificate: Buffer | null;
}

/** One version of a workspace key sealed to one member's user key. */
export interface WorkspaceKeyRecord {
  workspaceId: string;
  keyVersion: number;
  userId: string;
  userKeyVersion: number;
  sealedKey: Buffer;
  createdBy: string;
  createdAt: number;
}

/** A member of a workspace as key wrapping needs them. */
export interface MemberKeyRecord {
  userId: string;
  /** Their newest user key, null until their first device uploaded one. */
  userKey: { version: number; publicKey: Buffer } | null;
  /** The workspace key versions sealed to them. */
  keyVersions: number[];
  /** The user key version their copy of the newest workspace key version is sealed to, or null. */
  newestSealedToUserKeyVersion: number | null;
}

/**
 * How a put ended: `created`; `same` (those exact bytes were already there: a retry);
 * `conflict` (other bytes are there; nothing was written).
 */
export type KeyPutResult = 'created' | 'same' | 'conflict';

export interface KeyDirectoryRepository {
  putUserKey(record: UserKeyRecord): Promise<KeyPutResult>;
  /** The user's newest user key, or null. */
  currentUserKey(userId: string): Promise<UserKeyRecord | null>;
  /** Every version of the user's key, oldest first. */
  userKeyChain(userId: string): Promise<UserKeyRecord[]>;
  /**
   * A rotated user key and its copies for the user's devices, all or nothing: `conflict`
   * when that version exists with other bytes.
   */
  rotateUserKey(record: UserKeyRecord, devices: readonly DeviceKeyRecord[]): Promise<KeyPutResult>;
  /** Every device key row of the user, any version. */
  deviceKeysForUser(userId: string): Promise<DeviceKeyRecord[]>;

  putDeviceKey(record: DeviceKeyRecord): Promise<KeyPutResult>;
  /** The device key of a session for its newest user key version, or null. */
  findDeviceKey(sessionId: string): Promise<DeviceKeyRecord | null>;

  /** All rows or none: `conflict` when any one holds other bytes. */
  putWorkspaceKeys(records: readonly WorkspaceKeyRecord[]): Promise<KeyPutResult>;
  /** The versions of a workspace key sealed to `userId`, oldest first. */
  listWorkspaceKeys(workspaceId: string, userId: string): Promise<WorkspaceKeyRecord[]>;
  /** The newest version of the workspace key sealed to anyone, 0 before the first. */
  newestWorkspaceKeyVersion(workspaceId: string): Promise<number>;
  /** Every member of the workspace with their newest user public key, in joining order. */
  memberKeys(workspaceId: string): Promise<MemberKeyRecord[]>;
  /** How many users who are no longer members hold the newest version of the workspace key. */
  formerMembersHoldingNewest(workspaceId: string): Promise<number>;
}
