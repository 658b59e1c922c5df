/**
 * Device approval requests (docs/sync-keys.md, Device approval): a new device of a user asks
 * for the user key; another of the user's devices seals it to the new device's public key, or
 * denies. Public keys and one sealed box only: the server cannot open it. Every method
 * returns a Promise so a PostgreSQL implementation fits behind the same interface.
 */
export type DeviceApprovalState = 'pending' | 'approved' | 'denied';

export interface DeviceApprovalRecord {
  /** The new device's random UUID. */
  id: string;
  userId: string;
  /** The session that asked: the only one the answer is handed to. */
  sessionId: string;
  /** Raw 32-byte X25519 public key of the new device. */
  devicePublicKey: Buffer;
  createdAt: number;
  expiresAt: number;
  state: DeviceApprovalState;
  decidedAt: number | null;
  decidedBySession: string | null;
  /** With an approval: the user key version sealed, and the box. */
  userKeyVersion: number | null;
  sealedUserKey: Buffer | null;
}

/** A pending request as the user's other devices list it, with the asking session's details. */
export interface PendingDeviceApproval extends DeviceApprovalRecord {
  deviceName: string;
  platform: string;
  ip: string;
}

export type DeviceApprovalDecision =
  | {
      state: 'approved';
      at: number;
      bySession: string;
      userKeyVersion: number;
      sealedUserKey: Buffer;
    }
  | { state: 'denied'; at: number; bySession: string };

export interface DeviceApprovalRepository {
  /**
   * Stores a new request. `same` when that id already holds this very request (a retry),
   * `conflict` when it holds another; nothing is written then.
   */
  create(record: DeviceApprovalRecord): Promise<'created' | 'same' | 'conflict'>;
  find(id: string): Promise<DeviceApprovalRecord | null>;
  /** Deletes the user's requests that expired before `cutoff`; returns how many. */
  deleteExpired(userId: string, cutoff: number): Promise<number>;
  /** How many requests the user made at or after `since`, whatever became of them. */
  countCreatedSince(userId: string, since: number): Promise<number>;
  /**
   * The user's requests still pending and not expired at `now` whose asking session is
   * still open, oldest first.
   */
  listPending(userId: string, now: number): Promise<PendingDeviceApproval[]>;
  /**
   * Decides a request still pending and not expired at `decision.at`; false otherwise
   * (nothing is written).
   */
  decide(id: string, decision: DeviceApprovalDecision): Promise<boolean>;
}
