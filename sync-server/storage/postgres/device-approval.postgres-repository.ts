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
import type { PgDatabase } from './pg-database.js';

export class PostgresDeviceApprovalRepository implements DeviceApprovalRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(record: DeviceApprovalRecord): Promise<'created' | 'same' | 'conflict'> {
    // Insert-or-nothing first, then compare: two creates of one id at once both end here
    // with the one row that won.
    const inserted = await this.db.query(
      `INSERT INTO device_approvals (id, user_id, session_id, device_public_key, created_at,
                                     expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [
        record.id,
        record.userId,
        record.sessionId,
        record.devicePublicKey,
        record.createdAt,
        record.expiresAt,
      ],
    );
    if (inserted.rowCount === 1) return 'created';
    const known = await this.find(record.id);
    return known !== null &&
      known.userId === record.userId &&
      known.sessionId === record.sessionId &&
      known.devicePublicKey.equals(record.devicePublicKey)
      ? 'same'
      : 'conflict';
  }

  async find(id: string): Promise<DeviceApprovalRecord | null> {
    const { rows } = await this.db.query<DeviceApprovalRow>(
      'SELECT * FROM device_approvals WHERE id = $1',
      [id],
    );
    return rows[0] === undefined ? null : toDeviceApproval(rows[0]);
  }

  async deleteExpired(userId: string, cutoff: number): Promise<number> {
    const result = await this.db.query(
      'DELETE FROM device_approvals WHERE user_id = $1 AND expires_at < $2',
      [userId, cutoff],
    );
    return result.rowCount ?? 0;
  }

  async countCreatedSince(userId: string, since: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM device_approvals WHERE user_id = $1 AND created_at >= $2',
      [userId, since],
    );
    return rows[0]?.n ?? 0;
  }

  async listPending(userId: string, now: number): Promise<PendingDeviceApproval[]> {
    const { rows } = await this.db.query<PendingDeviceApprovalRow>(
      `SELECT a.*, s.device_name, s.platform, s.ip
         FROM device_approvals a JOIN sessions s ON s.id = a.session_id
        WHERE a.user_id = $1 AND a.state = 'pending' AND a.expires_at > $2
          AND s.revoked_at IS NULL
        ORDER BY a.created_at, a.id`,
      [userId, now],
    );
    return rows.map(toPendingDeviceApproval);
  }

  async decide(id: string, decision: DeviceApprovalDecision): Promise<boolean> {
    const approved = decision.state === 'approved';
    const result = await this.db.query(
      `UPDATE device_approvals
          SET state = $1, decided_at = $2, decided_by_session = $3, user_key_version = $4,
              sealed_user_key = $5
        WHERE id = $6 AND state = 'pending' AND expires_at > $2`,
      [
        decision.state,
        decision.at,
        decision.bySession,
        approved ? decision.userKeyVersion : null,
        approved ? decision.sealedUserKey : null,
        id,
      ],
    );
    return result.rowCount === 1;
  }
}
