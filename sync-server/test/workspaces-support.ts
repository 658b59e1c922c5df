import { expect } from 'vitest';

import type { WorkspaceRole } from '../../shared/sync/workspace-roles.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { register, stepUp } from './accounts-support.js';
import type { Grant } from './accounts-support.js';
import type { TestServer } from './support/start-test-server.js';

export type User = Grant & { email: string; password: string };

/** A name blob as a client would send it: base64 of bytes the server cannot read. */
export function nameBlob(label: string): string {
  return Buffer.from(`ciphertext:${label}`).toString('base64');
}

/** Registers a user who creates a workspace; returns both. */
export async function adminWithWorkspace(
  server: TestServer,
  label = 'books',
): Promise<{ admin: User; workspaceId: string }> {
  const admin = await register(server, { deviceName: 'Admin laptop' });
  const created = await server.request<{ id: string }>('POST', '/v1/workspaces', {
    token: admin.token,
    body: { nameBlob: nameBlob(label) },
  });
  expect(created.status, created.text).toBe(201);
  return { admin, workspaceId: created.json.id };
}

export async function invite(
  server: TestServer,
  adminToken: string,
  workspaceId: string,
  email: string,
  role: WorkspaceRole,
): Promise<string> {
  const res = await server.request<{ token: string }>(
    'POST',
    `/v1/workspaces/${workspaceId}/invites`,
    { token: adminToken, body: { email, role } },
  );
  expect(res.status, res.text).toBe(201);
  return res.json.token;
}

/** A new user, invited by the admin with `role`, who has accepted. */
export async function joinAs(
  server: TestServer,
  adminToken: string,
  workspaceId: string,
  role: WorkspaceRole,
): Promise<User> {
  const user = await register(server, { deviceName: `${role} laptop` });
  const token = await invite(server, adminToken, workspaceId, user.email, role);
  const accepted = await server.request('POST', `/v1/invites/${token}/accept`, {
    token: user.token,
  });
  expect(accepted.status, accepted.text).toBe(200);
  return user;
}

/** Steps the user's session up (password only: for users without a second factor). */
export async function elevate(server: TestServer, user: User): Promise<void> {
  await stepUp(server, user.token, user.password);
}

/**
 * Every row of every table but the audit log and the per-account request rate, which
 * record the requests themselves.
 */
export function snapshot(server: TestServer): string {
  const db = (server.deps.storage as SqliteStorage).db;
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table'
        AND name NOT LIKE 'audit%' AND name <> 'request_rates' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  return JSON.stringify(
    tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]),
  );
}

/** A well-formed UUID that is provably none of `taken`. */
export function unusedUuid(taken: readonly string[]): string {
  for (let n = 0; ; n += 1) {
    const candidate = `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
    if (!taken.includes(candidate)) return candidate;
  }
}
