import type {
  DeviceKeyRecord,
  KeyDirectoryRepository,
  KeyPutResult,
  MemberKeyRecord,
  UserKeyRecord,
  WorkspaceKeyRecord,
} from '../key-directory.repository.js';
import * as keyRows from '../rows/key-directory.rows.js';
import type { PgDatabase } from './pg-database.js';

/**
 * KeyDirectoryRepository over PostgreSQL (schemas: migrations/009, 012). Every put is an
 * insert that does nothing when the row exists, then a comparison with the row that is
 * there: two instances writing one row at once both see the winner, never an error.
 */
export class PostgresKeyDirectoryRepository implements KeyDirectoryRepository {
  constructor(private readonly db: PgDatabase) {}

  async putUserKey(record: UserKeyRecord): Promise<KeyPutResult> {
    return this.insertUserKey(record);
  }

  async rotateUserKey(
    record: UserKeyRecord,
    devices: readonly DeviceKeyRecord[],
  ): Promise<KeyPutResult> {
    try {
      return await this.db.transaction(async (): Promise<KeyPutResult> => {
        const result = await this.insertUserKey(record);
        if (result === 'conflict') return result;
        for (const device of devices) {
          // A retry of the same rotation finds its own rows; other bytes undo the whole step.
          if ((await this.insertDeviceKey(device)) === 'conflict') throw new ConflictSignal();
        }
        return result;
      }, 'read committed');
    } catch (error) {
      if (error instanceof ConflictSignal) return 'conflict';
      throw error;
    }
  }

  async userKeyChain(userId: string): Promise<UserKeyRecord[]> {
    const { rows } = await this.db.query<keyRows.UserKeyRow>(
      'SELECT * FROM user_keys WHERE user_id = $1 ORDER BY version',
      [userId],
    );
    return rows.map(keyRows.toUserKey);
  }

  async deviceKeysForUser(userId: string): Promise<DeviceKeyRecord[]> {
    const { rows } = await this.db.query<keyRows.DeviceKeyRow>(
      'SELECT * FROM device_keys WHERE user_id = $1 ORDER BY session_id, user_key_version',
      [userId],
    );
    return rows.map(keyRows.toDeviceKey);
  }

  private async insertUserKey(record: UserKeyRecord): Promise<KeyPutResult> {
    const inserted = await this.db.query(
      `INSERT INTO user_keys (user_id, version, public_key, recovery_public_key, recovery_blob,
                              created_at, signing_public_key, self_signature, previous_signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, version) DO NOTHING`,
      keyRows.userKeyValues(record),
    );
    if (inserted.rowCount === 1) return 'created';
    const { rows } = await this.db.query<keyRows.UserKeyRow>(
      'SELECT * FROM user_keys WHERE user_id = $1 AND version = $2',
      [record.userId, record.version],
    );
    const known = rows[0];
    return known !== undefined &&
      known.public_key.equals(record.publicKey) &&
      known.recovery_public_key.equals(record.recoveryPublicKey) &&
      known.recovery_blob.equals(record.recoveryBlob) &&
      keyRows.sameBytes(known.signing_public_key, record.statement?.signingPublicKey) &&
      keyRows.sameBytes(known.self_signature, record.statement?.selfSignature) &&
      keyRows.sameBytes(known.previous_signature, record.statement?.previousSignature)
      ? 'same'
      : 'conflict';
  }

  async currentUserKey(userId: string): Promise<UserKeyRecord | null> {
    const { rows } = await this.db.query<keyRows.UserKeyRow>(
      'SELECT * FROM user_keys WHERE user_id = $1 ORDER BY version DESC LIMIT 1',
      [userId],
    );
    return rows[0] === undefined ? null : keyRows.toUserKey(rows[0]);
  }

  async putDeviceKey(record: DeviceKeyRecord): Promise<KeyPutResult> {
    return this.insertDeviceKey(record);
  }

  private async insertDeviceKey(record: DeviceKeyRecord): Promise<KeyPutResult> {
    const inserted = await this.db.query(
      `INSERT INTO device_keys (session_id, user_id, public_key, user_key_version,
                                sealed_user_key, created_at, certificate)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id, user_key_version) DO NOTHING`,
      keyRows.deviceKeyValues(record),
    );
    if (inserted.rowCount === 1) return 'created';
    const { rows } = await this.db.query<keyRows.DeviceKeyRow>(
      'SELECT * FROM device_keys WHERE session_id = $1 AND user_key_version = $2',
      [record.sessionId, record.userKeyVersion],
    );
    const known = rows[0];
    return known !== undefined &&
      known.public_key.equals(record.publicKey) &&
      known.sealed_user_key.equals(record.sealedUserKey) &&
      keyRows.sameBytes(known.certificate, record.certificate)
      ? 'same'
      : 'conflict';
  }

  async findDeviceKey(sessionId: string): Promise<DeviceKeyRecord | null> {
    const { rows } = await this.db.query<keyRows.DeviceKeyRow>(
      'SELECT * FROM device_keys WHERE session_id = $1 ORDER BY user_key_version DESC LIMIT 1',
      [sessionId],
    );
    return rows[0] === undefined ? null : keyRows.toDeviceKey(rows[0]);
  }

  async putWorkspaceKeys(records: readonly WorkspaceKeyRecord[]): Promise<KeyPutResult> {
    try {
      return await this.db.transaction(async (): Promise<KeyPutResult> => {
        let created = false;
        for (const record of records) {
          const inserted = await this.db.query(
            `INSERT INTO workspace_keys (workspace_id, key_version, user_id, user_key_version,
                                         sealed_key, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (workspace_id, key_version, user_id) DO NOTHING`,
            [
              record.workspaceId,
              record.keyVersion,
              record.userId,
              record.userKeyVersion,
              record.sealedKey,
              record.createdBy,
              record.createdAt,
            ],
          );
          if (inserted.rowCount === 1) {
            created = true;
            continue;
          }
          const { rows } = await this.db.query<keyRows.WorkspaceKeyRow>(
            `SELECT * FROM workspace_keys
              WHERE workspace_id = $1 AND key_version = $2 AND user_id = $3`,
            [record.workspaceId, record.keyVersion, record.userId],
          );
          const known = rows[0];
          if (
            known !== undefined &&
            known.user_key_version === record.userKeyVersion &&
            known.sealed_key.equals(record.sealedKey)
          ) {
            continue;
          }
          // Undoes the rows written before this one: all or none.
          throw new ConflictSignal();
        }
        return created ? 'created' : 'same';
      }, 'read committed');
    } catch (error) {
      if (error instanceof ConflictSignal) return 'conflict';
      throw error;
    }
  }

  async listWorkspaceKeys(workspaceId: string, userId: string): Promise<WorkspaceKeyRecord[]> {
    const { rows } = await this.db.query<keyRows.WorkspaceKeyRow>(
      `SELECT * FROM workspace_keys WHERE workspace_id = $1 AND user_id = $2
        ORDER BY key_version`,
      [workspaceId, userId],
    );
    return rows.map(keyRows.toWorkspaceKey);
  }

  async newestWorkspaceKeyVersion(workspaceId: string): Promise<number> {
    const { rows } = await this.db.query<{ newest: number | null }>(
      'SELECT max(key_version) AS newest FROM workspace_keys WHERE workspace_id = $1',
      [workspaceId],
    );
    return rows[0]?.newest ?? 0;
  }

  async memberKeys(workspaceId: string): Promise<MemberKeyRecord[]> {
    const members = await this.db.query<keyRows.MemberKeyRow>(
      `SELECT m.user_id, k.version, k.public_key
         FROM workspace_members m
         LEFT JOIN user_keys k ON k.user_id = m.user_id
          AND k.version = (SELECT max(version) FROM user_keys WHERE user_id = m.user_id)
        WHERE m.workspace_id = $1
        ORDER BY m.joined_at, m.user_id`,
      [workspaceId],
    );
    const versions = await this.db.query<keyRows.HeldKeyRow>(
      `SELECT user_id, key_version, user_key_version FROM workspace_keys
        WHERE workspace_id = $1 ORDER BY key_version`,
      [workspaceId],
    );
    return keyRows.toMemberKeys(members.rows, versions.rows);
  }

  async formerMembersHoldingNewest(workspaceId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM workspace_keys k
        WHERE k.workspace_id = $1
          AND k.key_version = (SELECT max(key_version) FROM workspace_keys WHERE workspace_id = $1)
          AND NOT EXISTS (SELECT 1 FROM workspace_members m
                           WHERE m.workspace_id = $1 AND m.user_id = k.user_id)`,
      [workspaceId],
    );
    return rows[0]?.n ?? 0;
  }
}

/** Thrown inside the transaction to roll back a batch that met a conflicting row. */
class ConflictSignal extends Error {}
