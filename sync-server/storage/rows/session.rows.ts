import type { SessionEndReason, SessionRecord } from '../session.repository.js';

/** A row of sessions (migrations/002-accounts.ts) as both storage backends read it. */
export interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  device_name: string;
  platform: string;
  ip: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
  elevated_until: number | null;
  revoked_at: number | null;
  revoked_reason: SessionEndReason | null;
}

export const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userId: row.user_id,
  tokenHash: row.token_hash,
  deviceName: row.device_name,
  platform: row.platform,
  ip: row.ip,
  userAgent: row.user_agent,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  elevatedUntil: row.elevated_until,
  revokedAt: row.revoked_at,
  revokedReason: row.revoked_reason,
});

/** The values of an INSERT of every column, in the order of the columns in `SessionRow`. */
export const sessionValues = (session: SessionRecord): (string | number | null)[] => [
  session.id,
  session.userId,
  session.tokenHash,
  session.deviceName,
  session.platform,
  session.ip,
  session.userAgent,
  session.createdAt,
  session.lastSeenAt,
  session.elevatedUntil,
  session.revokedAt,
  session.revokedReason,
];
