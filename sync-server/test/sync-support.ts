import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';

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
  snapshot?: { seq: number; createdAt: number } | null;
  error?: { code: string; message: string; details?: Record<string, unknown> };
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

/**
 * A client's workspace key, as far as these tests need one. The sync server may import
 * shared/ only (coffer/layer-imports), so the client's change cipher
 * (electron/core/sync/crypto/change-cipher.ts) is out of reach here: this seals the same way
 * in substance — AES-256-GCM, a random 96-bit nonce, associated data binding the workspace
 * and the clear labels, tag appended — which is all the server ever sees of a change.
 */
export interface TestWorkspaceKey {
  workspaceId: string;
  version: number;
  key: Buffer;
}

export const workspaceKey = (workspaceId: string): TestWorkspaceKey => ({
  workspaceId,
  version: 1,
  key: randomBytes(32),
});

const associatedData = (key: TestWorkspaceKey, id: string, collection: string): Buffer =>
  Buffer.from(JSON.stringify([key.workspaceId, id, collection, key.version]), 'utf8');

/** The change sealed under `key` as a client sends it: only id, collection and version in the clear. */
export function sealed(change: Change, key: TestWorkspaceKey): ChangeEnvelope {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(associatedData(key, change.id, change.collection));
  const { id: _id, collection: _collection, ...body } = change;
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(body), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    id: change.id,
    collection: change.collection,
    keyVersion: key.version,
    nonce: nonce.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
}

/** Opens what `sealed` made (and a pulled copy of it); throws when anything was altered. */
export function opened(envelope: ChangeEnvelope, key: TestWorkspaceKey): Change {
  const bytes = Buffer.from(envelope.ciphertext, 'base64url');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key.key,
    Buffer.from(envelope.nonce, 'base64url'),
  );
  decipher.setAAD(associatedData(key, envelope.id, envelope.collection));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const body = Buffer.concat([
    decipher.update(bytes.subarray(0, bytes.length - 16)),
    decipher.final(),
  ]);
  return {
    id: envelope.id,
    collection: envelope.collection,
    ...(JSON.parse(body.toString('utf8')) as Omit<Change, 'id' | 'collection'>),
  };
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
