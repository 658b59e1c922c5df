import type {
  DeviceKeyRecord,
  MemberKeyRecord,
  UserKeyRecord,
  WorkspaceKeyRecord,
} from '../key-directory.repository.js';

/** Rows of the key directory tables (migrations/009, 012) as both storage backends read them. */
export interface UserKeyRow {
  user_id: string;
  version: number;
  public_key: Buffer;
  recovery_public_key: Buffer;
  recovery_blob: Buffer;
  created_at: number;
  signing_public_key: Buffer | null;
  self_signature: Buffer | null;
  previous_signature: Buffer | null;
}

export interface DeviceKeyRow {
  session_id: string;
  user_id: string;
  public_key: Buffer;
  user_key_version: number;
  sealed_user_key: Buffer;
  created_at: number;
  certificate: Buffer | null;
}

export interface WorkspaceKeyRow {
  workspace_id: string;
  key_version: number;
  user_id: string;
  user_key_version: number;
  sealed_key: Buffer;
  created_by: string | null;
  created_at: number;
}

export const toUserKey = (row: UserKeyRow): UserKeyRecord => ({
  userId: row.user_id,
  version: row.version,
  publicKey: row.public_key,
  recoveryPublicKey: row.recovery_public_key,
  recoveryBlob: row.recovery_blob,
  createdAt: row.created_at,
  statement:
    row.signing_public_key === null || row.self_signature === null
      ? null
      : {
          signingPublicKey: row.signing_public_key,
          selfSignature: row.self_signature,
          previousSignature: row.previous_signature,
        },
});

export const sameBytes = (a: Buffer | null | undefined, b: Buffer | null | undefined): boolean =>
  a === null || a === undefined || b === null || b === undefined ? a == b : a.equals(b);

export const toDeviceKey = (row: DeviceKeyRow): DeviceKeyRecord => ({
  sessionId: row.session_id,
  userId: row.user_id,
  publicKey: row.public_key,
  userKeyVersion: row.user_key_version,
  sealedUserKey: row.sealed_user_key,
  createdAt: row.created_at,
  certificate: row.certificate,
});

export const toWorkspaceKey = (row: WorkspaceKeyRow): WorkspaceKeyRecord => ({
  workspaceId: row.workspace_id,
  keyVersion: row.key_version,
  userId: row.user_id,
  userKeyVersion: row.user_key_version,
  sealedKey: row.sealed_key,
  createdBy: row.created_by ?? '',
  createdAt: row.created_at,
});

/** A member with the newest key of their user, if any (`memberKeys`). */
export interface MemberKeyRow {
  user_id: string;
  version: number | null;
  public_key: Buffer | null;
}

/** One workspace key version a user holds (`memberKeys`). */
export interface HeldKeyRow {
  user_id: string;
  key_version: number;
  user_key_version: number;
}

/** Members in their order, each with the workspace key versions they hold. */
export const toMemberKeys = (
  members: readonly MemberKeyRow[],
  versions: readonly HeldKeyRow[],
): MemberKeyRecord[] => {
  const newest = versions.at(-1)?.key_version;
  return members.map((member) => {
    const held = versions.filter((row) => row.user_id === member.user_id);
    return {
      userId: member.user_id,
      userKey:
        member.version === null || member.public_key === null
          ? null
          : { version: member.version, publicKey: member.public_key },
      keyVersions: held.map((row) => row.key_version),
      newestSealedToUserKeyVersion:
        held.find((row) => row.key_version === newest)?.user_key_version ?? null,
    };
  });
};

// The values of each table's INSERT, in the order of the columns in its row above.

export const userKeyValues = (record: UserKeyRecord): (number | string | Buffer | null)[] => [
  record.userId,
  record.version,
  record.publicKey,
  record.recoveryPublicKey,
  record.recoveryBlob,
  record.createdAt,
  record.statement?.signingPublicKey ?? null,
  record.statement?.selfSignature ?? null,
  record.statement?.previousSignature ?? null,
];

export const deviceKeyValues = (record: DeviceKeyRecord): (number | string | Buffer | null)[] => [
  record.sessionId,
  record.userId,
  record.publicKey,
  record.userKeyVersion,
  record.sealedUserKey,
  record.createdAt,
  record.certificate,
];
