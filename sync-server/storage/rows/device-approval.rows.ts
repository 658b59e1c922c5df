import type {
  DeviceApprovalRecord,
  DeviceApprovalState,
  PendingDeviceApproval,
} from '../device-approval.repository.js';

/** A row of device_approvals (migrations/011) as both storage backends read it. */
export interface DeviceApprovalRow {
  id: string;
  user_id: string;
  session_id: string;
  device_public_key: Buffer;
  created_at: number;
  expires_at: number;
  state: DeviceApprovalState;
  decided_at: number | null;
  decided_by_session: string | null;
  user_key_version: number | null;
  sealed_user_key: Buffer | null;
}

export const toDeviceApproval = (row: DeviceApprovalRow): DeviceApprovalRecord => ({
  id: row.id,
  userId: row.user_id,
  sessionId: row.session_id,
  devicePublicKey: row.device_public_key,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  state: row.state,
  decidedAt: row.decided_at,
  decidedBySession: row.decided_by_session,
  userKeyVersion: row.user_key_version,
  sealedUserKey: row.sealed_user_key,
});

/** A pending request joined with the session that asks (`listPending`). */
export interface PendingDeviceApprovalRow extends DeviceApprovalRow {
  device_name: string;
  platform: string;
  ip: string;
}

export const toPendingDeviceApproval = (row: PendingDeviceApprovalRow): PendingDeviceApproval => ({
  ...toDeviceApproval(row),
  deviceName: row.device_name,
  platform: row.platform,
  ip: row.ip,
});
