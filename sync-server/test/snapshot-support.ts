import { randomBytes } from 'node:crypto';

import { expect } from 'vitest';

import type { SnapshotInfo, SnapshotManifest } from '../../shared/sync/snapshot.js';
import type { TestResponse, TestServer } from './support/start-test-server.js';

export interface ErrorJson {
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

let ids = 0;
/** A new snapshot id each call, counted: none repeats an earlier one. */
export const nextSnapshotId = (): string =>
  `01900000-0000-7000-8abc-${(ids += 1).toString(16).padStart(12, '0')}`;

export const manifest = (overrides: Partial<SnapshotManifest> = {}): SnapshotManifest => ({
  snapshotId: nextSnapshotId(),
  seq: 0,
  keyVersion: 1,
  chunkCount: 2,
  byteLength: 64,
  ...overrides,
});

const base = (workspaceId: string): string => `/v1/workspaces/${workspaceId}/snapshots`;

export const startSnapshot = (
  server: TestServer,
  token: string,
  workspaceId: string,
  body: unknown,
): Promise<TestResponse<SnapshotManifest & ErrorJson>> =>
  server.request('POST', base(workspaceId), { token, body });

export const putChunk = (
  server: TestServer,
  token: string,
  workspaceId: string,
  snapshotId: string,
  index: number | string,
  bytes: Buffer,
  contentType = 'application/octet-stream',
): Promise<TestResponse<ErrorJson>> =>
  server.request('PUT', `${base(workspaceId)}/${snapshotId}/chunks/${index}`, {
    token,
    rawBody: bytes,
    headers: { 'content-type': contentType },
  });

export const completeSnapshot = (
  server: TestServer,
  token: string,
  workspaceId: string,
  snapshotId: string,
): Promise<TestResponse<SnapshotInfo & ErrorJson>> =>
  server.request('POST', `${base(workspaceId)}/${snapshotId}/complete`, { token });

export const latestSnapshot = (
  server: TestServer,
  token: string,
  workspaceId: string,
): Promise<TestResponse<SnapshotInfo & ErrorJson>> =>
  server.request('GET', `${base(workspaceId)}/latest`, { token });

export async function getChunk(
  server: TestServer,
  token: string,
  workspaceId: string,
  snapshotId: string,
  index: number,
): Promise<{ status: number; bytes: Buffer; contentType: string | undefined; json: ErrorJson }> {
  const res = await server.request<ErrorJson>(
    'GET',
    `${base(workspaceId)}/${snapshotId}/chunks/${index}`,
    { token },
  );
  return {
    status: res.status,
    bytes: res.bytes,
    contentType: res.headers['content-type'],
    json: res.json,
  };
}

/**
 * Starts, uploads in chunks of random bytes and completes a snapshot of the workspace;
 * returns its manifest and chunks.
 */
export async function uploadSnapshot(
  server: TestServer,
  token: string,
  workspaceId: string,
  overrides: Partial<SnapshotManifest> = {},
): Promise<{ manifest: SnapshotManifest; chunks: Buffer[]; info: SnapshotInfo }> {
  const m = manifest(overrides);
  const started = await startSnapshot(server, token, workspaceId, m);
  expect(started.status, started.text).toBe(201);
  const size = m.byteLength / m.chunkCount;
  const chunks = Array.from({ length: m.chunkCount }, () => randomBytes(size));
  for (const [index, bytes] of chunks.entries()) {
    const put = await putChunk(server, token, workspaceId, m.snapshotId, index, bytes);
    expect(put.status, put.text).toBe(204);
  }
  const done = await completeSnapshot(server, token, workspaceId, m.snapshotId);
  expect(done.status, done.text).toBe(200);
  return { manifest: m, chunks, info: done.json };
}
