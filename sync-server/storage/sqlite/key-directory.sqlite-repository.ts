import type {
  DeviceKeyRecord,
  KeyDirectoryRepository,
  KeyPutResult,
  MemberKeyRecord,
  UserKeyRecord,
  WorkspaceKeyRecord,
} from '../key-directory.repository.js';
import * as keyRows from '../rows/key-directory.rows.js';
import { lazyStatements } from './lazy-statements.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteKeyDirectoryRepository implements KeyDirectoryRepository {
  private readonly sql: ReturnType<typeof lazyStatements>;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = lazyStatements(db);
  }

  async putUserKey(record: UserKeyRecord): Promise<KeyPutResult> {
    const put = this.db.transaction((): KeyPutResult => this.insertUserKey(record));
    return put.immediate();
  }

  async rotateUserKey(
    record: UserKeyRecord,
    devices: readonly DeviceKeyRecord[],
  ): Promise<KeyPutResult> {
    const put = this.db.transaction((): KeyPutResult => {
      const result = this.insertUserKey(record);
      if (result === 'conflict') return result;
      for (const device of devices) {
        // A retry of the same rotation finds its own rows; other bytes undo the whole step.
        if (this.insertDeviceKey(device) === 'conflict') throw new ConflictSignal();
      }
      return result;
    });
    try {
      return put.immediate();
    } catch (error) {
      if (error instanceof ConflictSignal) return 'conflict';
      throw error;
    }
  }

  async userKeyChain(userId: string): Promise<UserKeyRecord[]> {
    const rows = this.sql('SELECT * FROM user_keys WHERE user_id = ? ORDER BY version').all(
      userId,
    ) as keyRows.UserKeyRow[];
    return rows.map(keyRows.toUserKey);
  }

  async deviceKeysForUser(userId: string): Promise<DeviceKeyRecord[]> {
    const rows = this.sql(
      'SELECT * FROM device_keys WHERE user_id = ? ORDER BY session_id, user_key_version',
    ).all(userId) as keyRows.DeviceKeyRow[];
    return rows.map(keyRows.toDeviceKey);
  }

  private insertUserKey(record: UserKeyRecord): KeyPutResult {
    const known = this.sql('SELECT * FROM user_keys WHERE user_id = ? AND version = ?').get(
      record.userId,
      record.version,
    ) as keyRows.UserKeyRow | undefined;
    if (known !== undefined) {
      return known.public_key.equals(record.publicKey) &&
        known.recovery_public_key.equals(record.recoveryPublicKey) &&
        known.recovery_blob.equals(record.recoveryBlob) &&
        keyRows.sameBytes(known.signing_public_key, record.statement?.signingPublicKey) &&
        keyRows.sameBytes(known.self_signature, record.statement?.selfSignature) &&
        keyRows.sameBytes(known.previous_signature, record.statement?.previousSignature)
        ? 'same'
        : 'conflict';
    }
    this.sql(
      `INSERT INTO user_keys (user_id, version, public_key, recovery_public_key, recovery_blob,
                              created_at, signing_public_key, self_signature, previous_signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...keyRows.userKeyValues(record));
    return 'created';
  }

  async currentUserKey(userId: string): Promise<UserKeyRecord | null> {
    const row = this.sql(
      'SELECT * FROM user_keys WHERE user_id = ? ORDER BY version DESC LIMIT 1',
    ).get(userId) as keyRows.UserKeyRow | undefined;
    return row === undefined ? null : keyRows.toUserKey(row);
  }

  async putDeviceKey(record: DeviceKeyRecord): Promise<KeyPutResult> {
    const put = this.db.transaction((): KeyPutResult => this.insertDeviceKey(record));
    return put.immediate();
  }

  private insertDeviceKey(record: DeviceKeyRecord): KeyPutResult {
    const known = this.sql(
      'SELECT * FROM device_keys WHERE session_id = ? AND user_key_version = ?',
    ).get(record.sessionId, record.userKeyVersion) as keyRows.DeviceKeyRow | undefined;
    if (known !== undefined) {
      return known.public_key.equals(record.publicKey) &&
        known.sealed_user_key.equals(record.sealedUserKey) &&
        keyRows.sameBytes(known.certificate, record.certificate)
        ? 'same'
        : 'conflict';
    }
    this.sql(
      `INSERT INTO device_keys (session_id, user_id, public_key, user_key_version,
                                sealed_user_key, created_at, certificate)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(...keyRows.deviceKeyValues(record));
    return 'created';
  }

  async findDeviceKey(sessionId: string): Promise<DeviceKeyRecord | null> {
    const row = this.sql(
      'SELECT * FROM device_keys WHERE session_id = ? ORDER BY user_key_version DESC LIMIT 1',
    ).get(sessionId) as keyRows.DeviceKeyRow | undefined;
    return row === undefined ? null : keyRows.toDeviceKey(row);
  }

  async putWorkspaceKeys(records: readonly WorkspaceKeyRecord[]): Promise<KeyPutResult> {
    const put = this.db.transaction((): KeyPutResult => {
      let created = false;
      for (const record of records) {
        const known = this.sql(
          `SELECT * FROM workspace_keys
            WHERE workspace_id = ? AND key_version = ? AND user_id = ?`,
        ).get(record.workspaceId, record.keyVersion, record.userId) as
          keyRows.WorkspaceKeyRow | undefined;
        if (known !== undefined) {
          if (
            known.user_key_version === record.userKeyVersion &&
            known.sealed_key.equals(record.sealedKey)
          ) {
            continue;
          }
          // Undoes the rows written before this one: all or none.
          throw new ConflictSignal();
        }
        this.sql(
          `INSERT INTO workspace_keys (workspace_id, key_version, user_id, user_key_version,
                                       sealed_key, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          record.workspaceId,
          record.keyVersion,
          record.userId,
          record.userKeyVersion,
          record.sealedKey,
          record.createdBy,
          record.createdAt,
        );
        created = true;
      }
      return created ? 'created' : 'same';
    });
    try {
      return put.immediate();
    } catch (error) {
      if (error instanceof ConflictSignal) return 'conflict';
      throw error;
    }
  }

  async listWorkspaceKeys(workspaceId: string, userId: string): Promise<WorkspaceKeyRecord[]> {
    const rows = this.sql(
      `SELECT * FROM workspace_keys WHERE workspace_id = ? AND user_id = ?
        ORDER BY key_version`,
    ).all(workspaceId, userId) as keyRows.WorkspaceKeyRow[];
    return rows.map(keyRows.toWorkspaceKey);
  }

  async newestWorkspaceKeyVersion(workspaceId: string): Promise<number> {
    const newest = this.sql('SELECT max(key_version) FROM workspace_keys WHERE workspace_id = ?')
      .pluck()
      .get(workspaceId) as number | null;
    return newest ?? 0;
  }

  async memberKeys(workspaceId: string): Promise<MemberKeyRecord[]> {
    const members = this.sql(
      `SELECT m.user_id, k.version, k.public_key
         FROM workspace_members m
         LEFT JOIN user_keys k ON k.user_id = m.user_id
          AND k.version = (SELECT max(version) FROM user_keys WHERE user_id = m.user_id)
        WHERE m.workspace_id = ?
        ORDER BY m.joined_at, m.user_id`,
    ).all(workspaceId) as keyRows.MemberKeyRow[];
    const versions = this.sql(
      `SELECT user_id, key_version, user_key_version FROM workspace_keys
        WHERE workspace_id = ? ORDER BY key_version`,
    ).all(workspaceId) as keyRows.HeldKeyRow[];
    return keyRows.toMemberKeys(members, versions);
  }

  async formerMembersHoldingNewest(workspaceId: string): Promise<number> {
    return this.sql(
      `SELECT count(*) FROM workspace_keys k
        WHERE k.workspace_id = @workspaceId
          AND k.key_version = (SELECT max(key_version) FROM workspace_keys WHERE workspace_id = @workspaceId)
          AND NOT EXISTS (SELECT 1 FROM workspace_members m
                           WHERE m.workspace_id = @workspaceId AND m.user_id = k.user_id)`,
    )
      .pluck()
      .get({ workspaceId }) as number;
  }
}

/** Thrown inside the transaction to roll back a batch that met a conflicting row. */
class ConflictSignal extends Error {}
