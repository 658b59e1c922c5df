import type { Clock } from '../clock.js';
import { HttpError, conflict, forbidden, notFound, tooMany } from '../http/errors.js';
import type { DeviceApprovalRecord } from '../storage/device-approval.repository.js';
import type { Storage } from '../storage/storage.js';
import { base64urlBytes } from './key-directory.service.js';

/** A request may be decided for 15 minutes after it was made (docs/sync-keys.md). */
export const DEVICE_APPROVAL_TTL_MS = 15 * 60_000;
/**
 * Requests an account may make per request lifetime. Each one puts a prompt on the user's
 * other devices, so a stolen password (and second factor) must not be able to flood them;
 * five leaves room for a person who gave up and started again.
 */
export const DEVICE_APPROVAL_REQUEST_LIMIT = 5;
/**
 * A request is kept this long past its expiry, so a late answer is "expired" rather than
 * "not found"; the user's next request deletes older ones (and the asking session's end
 * deletes its own).
 */
export const DEVICE_APPROVAL_KEPT_MS = 60 * 60_000;

export interface DeviceApprovalRequestBody {
  id: string;
  devicePublicKey: string;
}

export interface DeviceApprovalBody {
  userKeyVersion: number;
  sealedUserKey: string;
}

/** What the asking device reads back: `expired` is a pending request past its time. */
export interface DeviceApprovalResultView {
  id: string;
  state: 'pending' | 'approved' | 'denied' | 'expired';
  createdAt: string;
  expiresAt: string;
  userKeyVersion?: number;
  sealedUserKey?: string;
}

export interface PendingDeviceApprovalView {
  id: string;
  devicePublicKey: string;
  deviceName: string;
  platform: string;
  ip: string;
  createdAt: string;
  expiresAt: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The server's part of device approval: it relays a new device's public key to the user's
 * other devices and one of them's sealed answer back, and never sees the user key. What it
 * enforces: a request belongs to one user and one asking session (anyone else gets 404), it
 * lives 15 minutes, it is decided once, and only a session that holds the user key (a device
 * key for the current user key version) decides. Approving also needs a step-up (the route's
 * level): it lets one more device read everything the user can.
 */
export class DeviceApprovalService {
  constructor(private readonly deps: { storage: Storage; clock: Clock }) {}

  async request(
    userId: string,
    sessionId: string,
    body: DeviceApprovalRequestBody,
  ): Promise<{ status: 200 | 201; view: DeviceApprovalResultView }> {
    const devicePublicKey = base64urlBytes('devicePublicKey', body.devicePublicKey);
    const { storage, clock } = this.deps;
    if ((await storage.keys.currentUserKey(userId)) === null) {
      throw conflict('USER_KEY_MISSING', 'This account has no user key yet: nothing to approve.');
    }
    if ((await storage.keys.findDeviceKey(sessionId)) !== null) {
      throw conflict('DEVICE_KEY_EXISTS', 'This device already holds the user key.');
    }
    const now = clock.now();
    const record: DeviceApprovalRecord = {
      id: body.id,
      userId,
      sessionId,
      devicePublicKey,
      createdAt: now,
      expiresAt: now + DEVICE_APPROVAL_TTL_MS,
      state: 'pending',
      decidedAt: null,
      decidedBySession: null,
      userKeyVersion: null,
      sealedUserKey: null,
    };
    const created = await storage.transaction(async () => {
      await storage.deviceApprovals.deleteExpired(userId, now - DEVICE_APPROVAL_KEPT_MS);
      const known = await storage.deviceApprovals.find(body.id);
      if (known === null) {
        const recent = await storage.deviceApprovals.countCreatedSince(
          userId,
          now - DEVICE_APPROVAL_TTL_MS,
        );
        if (recent >= DEVICE_APPROVAL_REQUEST_LIMIT) {
          throw tooMany(
            'TOO_MANY_APPROVAL_REQUESTS',
            'Too many device approval requests for this account; wait for the earlier ones to expire.',
            DEVICE_APPROVAL_TTL_MS / 1000,
          );
        }
      }
      return storage.deviceApprovals.create(record);
    });
    if (created === 'conflict') {
      throw conflict('DEVICE_APPROVAL_EXISTS', 'That request id is taken; make a new one.');
    }
    const stored = await this.ownRequest(userId, sessionId, body.id);
    return { status: created === 'created' ? 201 : 200, view: this.resultView(stored) };
  }

  /** The asking device's view of its own request: another session's or user's id is 404. */
  async result(userId: string, sessionId: string, id: string): Promise<DeviceApprovalResultView> {
    return this.resultView(await this.ownRequest(userId, sessionId, id));
  }

  /** Requests the user's other devices may decide now; the caller's own are not among them. */
  async pending(
    userId: string,
    sessionId: string,
  ): Promise<{ requests: PendingDeviceApprovalView[] }> {
    const rows = await this.deps.storage.deviceApprovals.listPending(userId, this.deps.clock.now());
    return {
      requests: rows
        .filter((row) => row.sessionId !== sessionId)
        .map((row) => ({
          id: row.id,
          devicePublicKey: row.devicePublicKey.toString('base64url'),
          deviceName: row.deviceName,
          platform: row.platform,
          ip: row.ip,
          createdAt: iso(row.createdAt),
          expiresAt: iso(row.expiresAt),
        })),
    };
  }

  async approve(
    userId: string,
    sessionId: string,
    id: string,
    body: DeviceApprovalBody,
  ): Promise<void> {
    const sealedUserKey = base64urlBytes('sealedUserKey', body.sealedUserKey);
    const current = await this.assertHoldsUserKey(userId, sessionId);
    await this.decidable(userId, id);
    if (body.userKeyVersion !== current) {
      throw conflict('USER_KEY_STALE', "That is not the user's current key version.");
    }
    await this.decide(id, {
      state: 'approved',
      at: this.deps.clock.now(),
      bySession: sessionId,
      userKeyVersion: body.userKeyVersion,
      sealedUserKey,
    });
  }

  async deny(userId: string, sessionId: string, id: string): Promise<void> {
    await this.assertHoldsUserKey(userId, sessionId);
    await this.decidable(userId, id);
    await this.decide(id, { state: 'denied', at: this.deps.clock.now(), bySession: sessionId });
  }

  private async decide(
    id: string,
    decision: Parameters<Storage['deviceApprovals']['decide']>[1],
  ): Promise<void> {
    if (!(await this.deps.storage.deviceApprovals.decide(id, decision))) throw alreadyDecided();
  }

  /** The user key version the caller's device holds, which must be the current one. */
  private async assertHoldsUserKey(userId: string, sessionId: string): Promise<number> {
    const [current, device] = await Promise.all([
      this.deps.storage.keys.currentUserKey(userId),
      this.deps.storage.keys.findDeviceKey(sessionId),
    ]);
    if (current === null || device === null || device.userKeyVersion !== current.version) {
      throw forbidden(
        'DEVICE_KEY_REQUIRED',
        'Only a device that holds your user key can approve or deny another.',
      );
    }
    return current.version;
  }

  /** A request of this user that is still pending, within its time, its asker still signed in. */
  private async decidable(userId: string, id: string): Promise<DeviceApprovalRecord> {
    const request = await this.deps.storage.deviceApprovals.find(id);
    if (request === null || request.userId !== userId) throw approvalNotFound();
    if (request.state !== 'pending') throw alreadyDecided();
    if (this.deps.clock.now() >= request.expiresAt) {
      throw new HttpError(
        410,
        'DEVICE_APPROVAL_EXPIRED',
        'This approval request is more than 15 minutes old. Start again on the new device.',
      );
    }
    const asker = await this.deps.storage.sessions.findById(request.sessionId);
    if (asker === null || asker.revokedAt !== null) {
      throw new HttpError(
        410,
        'DEVICE_APPROVAL_ENDED',
        'The device that asked has signed out since; start again on it.',
      );
    }
    return request;
  }

  private async ownRequest(
    userId: string,
    sessionId: string,
    id: string,
  ): Promise<DeviceApprovalRecord> {
    const request = await this.deps.storage.deviceApprovals.find(id);
    if (request === null || request.userId !== userId || request.sessionId !== sessionId) {
      throw approvalNotFound();
    }
    return request;
  }

  private resultView(request: DeviceApprovalRecord): DeviceApprovalResultView {
    const expired = request.state === 'pending' && this.deps.clock.now() >= request.expiresAt;
    return {
      id: request.id,
      state: expired ? 'expired' : request.state,
      createdAt: iso(request.createdAt),
      expiresAt: iso(request.expiresAt),
      ...(request.userKeyVersion === null || request.sealedUserKey === null
        ? {}
        : {
            userKeyVersion: request.userKeyVersion,
            sealedUserKey: request.sealedUserKey.toString('base64url'),
          }),
    };
  }
}

const approvalNotFound = (): HttpError =>
  notFound('DEVICE_APPROVAL_NOT_FOUND', 'No such device approval request.');

const alreadyDecided = (): HttpError =>
  conflict('DEVICE_APPROVAL_DECIDED', 'This request was already approved or denied.');
