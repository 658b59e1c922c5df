import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type {
  DeviceApprovalApiClient,
  PendingApproval,
} from './client/device-approval-api.client.js';
import {
  assertApprovalRequestLive,
  deviceApprovalCode,
  sameApprovalCode,
} from './crypto/device-approval.js';
import { sealUserKeyToDevice } from './crypto/user-key.js';
import type { UserKey } from './crypto/user-key.js';

/** A request as a device that holds the user key shows it: with the code it derives itself. */
export interface PendingApprovalView {
  id: string;
  /** What this device derives: approve only when the new device shows the same. */
  code: string;
  deviceName: string;
  platform: string;
  ip: string;
  createdAt: string;
  expiresAt: string;
  ageSeconds: number;
}

/**
 * The approving side of device approval (docs/sync-keys.md). The code is derived here from
 * the request as the server relays it and from this device's own user public key, never from
 * anything the server says the code is: if the server swapped the new device's key, the code
 * differs from the one the new device shows.
 */
export class DeviceApprovals {
  constructor(
    private readonly client: DeviceApprovalApiClient,
    private readonly token: string,
    private readonly userKey: UserKey,
    private readonly now: () => number,
  ) {}

  async pending(): Promise<PendingApprovalView[]> {
    const requests = await this.client.pending(this.token);
    return requests.map((request) => ({
      id: request.id,
      code: this.codeOf(request),
      deviceName: request.deviceName,
      platform: request.platform,
      ip: request.ip,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      ageSeconds: this.ageSeconds(request),
    }));
  }

  /**
   * Seals the user key to the request's device once the code the user typed (read off the
   * new device) matches ours; a wrong code is APPROVAL_CODE_MISMATCH and nothing is sent.
   * `stepUp` runs after every check, just before the approval, which the server gates on it.
   */
  async approve(
    id: string,
    typedCode: string,
    stepUp: () => Promise<void>,
  ): Promise<PendingApprovalView> {
    const request = await this.find(id);
    assertApprovalRequestLive(Date.parse(request.createdAt), this.now);
    const code = this.codeOf(request);
    if (!sameApprovalCode(typedCode, code)) {
      throw new CofferError(
        'APPROVAL_CODE_MISMATCH',
        'That code is not the one this request gives here; nothing was approved. Compare the code the new device shows; if it differs, deny the request.',
      );
    }
    await stepUp();
    const sealed = sealUserKeyToDevice(this.userKey, request.id, publicKeyOf(request));
    await this.decided(() =>
      this.client.approve(this.token, id, {
        userKeyVersion: this.userKey.version,
        sealedUserKey: sealed.toString('base64url'),
      }),
    );
    return {
      id: request.id,
      code,
      deviceName: request.deviceName,
      platform: request.platform,
      ip: request.ip,
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      ageSeconds: this.ageSeconds(request),
    };
  }

  async deny(id: string): Promise<void> {
    await this.find(id);
    await this.decided(() => this.client.deny(this.token, id));
  }

  private async find(id: string): Promise<PendingApproval> {
    const request = (await this.client.pending(this.token)).find((entry) => entry.id === id);
    if (request === undefined) {
      throw new CofferError(
        'NOT_FOUND',
        'No device approval request with that id is waiting: it may be older than 15 minutes, already decided, or its device signed out. `devices list` shows those waiting.',
      );
    }
    return request;
  }

  private codeOf(request: PendingApproval): string {
    return deviceApprovalCode({
      requestId: request.id,
      newDevicePublicKey: publicKeyOf(request),
      userPublicKey: this.userKey.pair.publicKey,
    });
  }

  private ageSeconds(request: PendingApproval): number {
    return Math.max(0, Math.floor((this.now() - Date.parse(request.createdAt)) / 1000));
  }

  /** The server's expiry answer as the device's own code. */
  private async decided(send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (isCofferError(error) && error.details?.['serverCode'] === 'DEVICE_APPROVAL_EXPIRED') {
        throw new CofferError(
          'DEVICE_APPROVAL_EXPIRED',
          'This approval request is more than 15 minutes old. Start again on the new device.',
        );
      }
      throw error;
    }
  }
}

const publicKeyOf = (request: PendingApproval): Buffer =>
  Buffer.from(request.devicePublicKey, 'base64url');
