import { randomBytes, randomUUID } from 'node:crypto';

import { encryptChange } from '../../electron/core/sync/crypto/change-cipher.js';
import { generateWorkspaceKey } from '../../electron/core/sync/crypto/workspace-key.js';
import type { WorkspaceKey } from '../../electron/core/sync/crypto/workspace-key.js';
import type { Change, Collection } from '../../shared/sync/change.js';
import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import type { TestServer, TestResponse } from './support/start-test-server.js';

export interface PushJson {
  epoch: string;
  results: {
    id: string;
    status: 'accepted' | 'rejected';
    seq?: number;
    reason?: { code: string; message: string };
  }[];
  error?: { code: string; message: string };
}

export interface PullJson {
  epoch: string;
  changes: (ChangeEnvelope & { seq: number })[];
  nextAfter: number;
  more: boolean;
  error?: { code: string; message: string };
}

/** A change as a device writes it, with `marker` inside its (encrypted) fields. */
export function plainChange(collection: Collection, marker: string): Change {
  return {
    id: randomUUID(),
    collection,
    recordId: randomUUID(),
    op: 'upsert',
    fields: { payee: `${marker} payee`, notes: `${marker} notes`, amount: 123_45 },
    base: {},
    hlc: '001764950000000:000001:device-a',
    deviceId: 'device-a',
  };
}

/** A fresh workspace key for `workspaceId`, version 1. */
export const workspaceKey = (workspaceId: string): WorkspaceKey =>
  generateWorkspaceKey(workspaceId, 1);

/** Encrypted with the real change cipher, as the client sends it. */
export function sealed(change: Change, key: WorkspaceKey): ChangeEnvelope {
  return encryptChange(change, key);
}

/**
 * An envelope of random bytes of `ciphertextBytes` (the server cannot tell it from a real
 * one): for limits and paging, where thousands of real encryptions would add nothing.
 */
export function randomEnvelope(
  collection: Collection = 'transactions',
  ciphertextBytes = 64,
): ChangeEnvelope {
  return {
    id: randomUUID(),
    collection,
    keyVersion: 1,
    nonce: randomBytes(12).toString('base64url'),
    ciphertext: randomBytes(ciphertextBytes).toString('base64url'),
  };
}

export function push(
  server: TestServer,
  token: string,
  workspaceId: string,
  changes: readonly ChangeEnvelope[],
): Promise<TestResponse<PushJson>> {
  return server.request<PushJson>('POST', `/v1/workspaces/${workspaceId}/sync/push`, {
    token,
    body: { changes },
  });
}

export function pull(
  server: TestServer,
  token: string,
  workspaceId: string,
  query = '',
): Promise<TestResponse<PullJson>> {
  return server.request<PullJson>(
    'GET',
    `/v1/workspaces/${workspaceId}/sync/pull${query === '' ? '' : `?${query}`}`,
    { token },
  );
}
