import type {
  DeviceApprovalDecision,
  DeviceApprovalRecord,
  DeviceApprovalRepository,
  PendingDeviceApproval,
} from '../device-approval.repository.js';
import {
  type DeviceApprovalRow,
  type PendingDeviceApprovalRow,
  toDeviceApproval,
  toPendingDeviceApproval,
} from '../rows/device-approval.rows.js';
import { lazyStatements } from './lazy-statements.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteDeviceApprovalRepository implements DeviceApprovalRepository {
  private readonly sql: ReturnType<typeof lazyStatements>;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = lazyStatements(db);
  }

  async create(record: DeviceApprovalRecord): Promise<'created' | 'same' | 'conflict'> {
    const create = this.db.transaction((): 'created' | 'same' | 'conflict' => {
      const known = this.sql('SELECT * FROM device_approvals WHERE id = ?').get(record.id) as
        DeviceApprovalRow | undefined;
      if (known !== undefined) {
        return known.user_id === record.userId &&
          known.session_id === record.sessionId &&
          known.device_public_key.equals(record.devicePublicKey)
          ? 'same'
          : 'conflict';
      }
      this.sql(
        `INSERT INTO device_approvals (id, user_id, session_id, device_public_key, created_at,
                                       expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(
        record.id,
        record.userId,
        record.sessionId,
        record.devicePublicKey,
        record.createdAt,
        record.expiresAt,
      );
      return 'created';
    });
    return create.immediate();
  }

  async find(id: string): Promise<DeviceApprovalRecord | null> {
    const row = this.sql('SELECT * FROM device_approvals WHERE id = ?').get(id) as
      DeviceApprovalRow | undefined;
    return row === undefined ? null : toDeviceApproval(row);
  }

  async deleteExpired(userId: string, cutoff: number): Promise<number> {
    return this.sql('DELETE FROM device_approvals WHERE user_id = ? AND expires_at < ?').run(
      userId,
      cutoff,
    ).changes;
  }

  async countCreatedSince(userId: string, since: number): Promise<number> {
    return this.sql('SELECT count(*) FROM device_approvals WHERE user_id = ? AND created_at >= ?')
      .pluck()
      .get(userId, since) as number;
  }

  async listPending(userId: string, now: number): Promise<PendingDeviceApproval[]> {
    const rows = this.sql(
      `SELECT a.*, s.device_name, s.platform, s.ip
         FROM device_approvals a JOIN sessions s ON s.id = a.session_id
        WHERE a.user_id = ? AND a.state = 'pending' AND a.expires_at > ?
          AND s.revoked_at IS NULL
        ORDER BY a.created_at, a.id`,
    ).all(userId, now) as PendingDeviceApprovalRow[];
    return rows.map(toPendingDeviceApproval);
  }

  async decide(id: string, decision: DeviceApprovalDecision): Promise<boolean> {
    const approved = decision.state === 'approved';
    const result = this.sql(
      `UPDATE device_approvals
          SET state = ?, decided_at = ?, decided_by_session = ?, user_key_version = ?,
              sealed_user_key = ?
        WHERE id = ? AND state = 'pending' AND expires_at > ?`,
    ).run(
      decision.state,
      decision.at,
      decision.bySession,
      approved ? decision.userKeyVersion : null,
      approved ? decision.sealedUserKey : null,
      id,
      decision.at,
    );
    return result.changes === 1;
  }
}
