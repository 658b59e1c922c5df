import type { SyncHttpClient } from './sync-http.client.js';

/** The asking device's view of its request; `sealedUserKey` comes with an approval. */
export interface ApprovalResult {
  id: string;
  state: 'pending' | 'approved' | 'denied' | 'expired';
  createdAt: string;
  expiresAt: string;
  userKeyVersion?: number;
  sealedUserKey?: string;
}

/** A request another device of the user made, as the devices that hold the key list it. */
export interface PendingApproval {
  id: string;
  devicePublicKey: string;
  deviceName: string;
  platform: string;
  ip: string;
  createdAt: string;
  expiresAt: string;
}

/** The device-approval routes of the sync server (docs/sync-keys.md), typed. */
export class DeviceApprovalApiClient {
  constructor(private readonly http: SyncHttpClient) {}

  request(token: string, id: string, devicePublicKey: string): Promise<ApprovalResult> {
    return this.http.request('POST', '/v1/me/device-approvals', {
      token,
      body: { id, devicePublicKey },
    });
  }

  result(token: string, id: string): Promise<ApprovalResult> {
    return this.http.request('GET', `/v1/me/device-approvals/${encodeURIComponent(id)}`, {
      token,
    });
  }

  async pending(token: string): Promise<PendingApproval[]> {
    return (
      await this.http.request<{ requests: PendingApproval[] }>('GET', '/v1/me/device-approvals', {
        token,
      })
    ).requests;
  }

  async approve(
    token: string,
    id: string,
    body: { userKeyVersion: number; sealedUserKey: string },
  ): Promise<void> {
    await this.http.request('POST', `/v1/me/device-approvals/${encodeURIComponent(id)}/approve`, {
      token,
      body,
    });
  }

  async deny(token: string, id: string): Promise<void> {
    await this.http.request('POST', `/v1/me/device-approvals/${encodeURIComponent(id)}/deny`, {
      token,
      body: {},
    });
  }
}
