/**
 * Persistence for login sessions. Every method returns a Promise so a PostgreSQL
 * implementation fits behind the same interface.
 *
 * Only the SHA-256 of a bearer token is stored. Rows of revoked and expired sessions are
 * kept (for `SESSION_REVOKED` / `SESSION_EXPIRED` answers and the user's export) until
 * `pruneEndedBefore` drops them, 90 days after they ended.
 */
export type SessionEndReason = 'logout' | 'revoked' | 'password_changed';

export interface SessionRecord {
  id: string;
  userId: string;
  /** SHA-256 (hex) of the bearer token. */
  tokenHash: string;
  deviceName: string;
  platform: string;
  ip: string;
  userAgent: string;
  createdAt: number;
  lastSeenAt: number;
  /** Step-up: sensitive operations are allowed until this time (ms), or null. */
  elevatedUntil: number | null;
  revokedAt: number | null;
  revokedReason: SessionEndReason | null;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  findById(id: string): Promise<SessionRecord | null>;
  /** The sessions among `ids` that exist, in no particular order: one query for many sockets. */
  findManyById(ids: readonly string[]): Promise<SessionRecord[]>;
  /** Every session of the user, newest first, ended ones included. */
  listForUser(userId: string): Promise<SessionRecord[]>;
  touch(id: string, lastSeenAt: number, ip: string): Promise<void>;
  setElevatedUntil(id: string, elevatedUntil: number | null): Promise<void>;
  /** Ends one session if it is still open; false when it was already revoked. */
  revoke(id: string, at: number, reason: SessionEndReason): Promise<boolean>;
  /** Ends every open session of the user except `exceptId`; returns how many ended. */
  revokeAllForUser(
    userId: string,
    at: number,
    reason: SessionEndReason,
    exceptId?: string,
  ): Promise<number>;
  deleteForUser(userId: string): Promise<void>;
  /**
   * Drops sessions that ended before `cutoff`: revoked then, or idle/absolute-expired by
   * then (`lastSeenAt + idleMs` or `createdAt + absoluteMs`). Returns how many.
   */
  pruneEndedBefore(cutoff: number, idleMs: number, absoluteMs: number): Promise<number>;
}
