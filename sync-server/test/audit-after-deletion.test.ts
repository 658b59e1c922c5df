import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pruneAuditLog } from '../audit/audit.prune.js';
import { GOOD_PASSWORD, uniqueEmail } from './accounts-support.js';
import { startLoggedServer } from './audit-support.js';
import type { AuditRow, LoggedServer } from './audit-support.js';

// Deleting an account must not erase what the audit log says about it: the rows stay for
// their 90 days, naming the account by a keyed pseudonym instead of its id, and carry no
// id or address of it any more.

let s: LoggedServer;
beforeAll(async () => {
  s = await startLoggedServer();
});
afterAll(async () => s.close());

const DAY = 24 * 60 * 60_000;

interface Grant {
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

async function register(email: string, deviceName: string): Promise<Grant> {
  const response = await s.request<Grant>('POST', '/v1/auth/register', {
    body: { email, password: GOOD_PASSWORD, deviceName },
  });
  expect(response.status).toBe(201);
  return response.json;
}

const names = (row: AuditRow, userId: string): boolean =>
  row.user_id === userId || row.subject_user_id === userId;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('audit rows after account deletion', () => {
  it('stay, under one keyed pseudonym, with no id or address of the account left', async () => {
    const email = uniqueEmail('leaving');
    // Device names are typed by the user and may hold their address.
    const owner = await register(email, `Laptop of ${email}`);
    const bystander = await register(uniqueEmail('staying'), 'Bystander laptop');

    // A trail: a wrong password (perhaps someone else), a sign-in from a phone, a read,
    // a step-up, and the bystander's own requests.
    expect(
      (
        await s.request('POST', '/v1/auth/login', {
          body: { email, password: 'not the password at all', deviceName: 'Unknown' },
        })
      ).status,
    ).toBe(401);
    const phone = await s.request<Grant>('POST', '/v1/auth/login', {
      body: { email, password: GOOD_PASSWORD, deviceName: `Phone of ${email}` },
    });
    expect(phone.status).toBe(200);
    expect((await s.request('GET', '/v1/me', { token: phone.json.token })).status).toBe(200);
    expect((await s.request('GET', '/v1/me', { token: bystander.token })).status).toBe(200);
    const stepUp = await s.request('POST', '/v1/auth/step-up', {
      token: owner.token,
      body: { password: GOOD_PASSWORD },
    });
    expect(stepUp.status).toBe(200);

    const before = await s.auditRows();
    const trail = before.filter((row) => names(row, owner.user.id));
    expect(trail.length).toBeGreaterThanOrEqual(5);
    const bystanderRows = before.filter((row) => names(row, bystander.user.id));

    const deleted = await s.request('DELETE', '/v1/me', { token: owner.token });
    expect(deleted.status).toBe(204);

    const after = await s.auditRows();
    // Every row is still there (count before = count after), plus the deletion itself.
    expect(after.length).toBe(before.length + 1);
    const trailAfter = after.filter((row) => trail.some((t) => t.seq === row.seq));
    expect(trailAfter.map((row) => row.id)).toEqual(trail.map((row) => row.id));
    const deletion = after.at(-1);
    expect(deletion).toMatchObject({ action: 'DELETE /v1/me', status_code: 204, user_id: null });

    // One pseudonym, on every row that named the account, the deletion's included.
    const pseudonyms = new Set<string | null>();
    for (const row of [...trailAfter, deletion as AuditRow]) {
      expect(names(row, owner.user.id)).toBe(false);
      expect(row.device_name).toBeNull();
      const was = trail.find((t) => t.seq === row.seq);
      if (was?.user_id === owner.user.id || row === deletion) pseudonyms.add(row.user_pseudonym);
      if (was?.subject_user_id === owner.user.id) pseudonyms.add(row.subject_pseudonym);
    }
    expect(pseudonyms.size).toBe(1);
    const [pseudonym] = [...pseudonyms];
    expect(pseudonym).toMatch(/^[0-9a-f]{64}$/);
    // Keyed: not a plain hash anyone could recompute from the id or the address.
    expect(pseudonym).not.toBe(sha256(owner.user.id));
    expect(pseudonym).not.toBe(sha256(email));

    // Nothing in the whole table names the account any more.
    const table = JSON.stringify(after);
    expect(table).not.toContain(owner.user.id);
    expect(table.toLowerCase()).not.toContain(email.toLowerCase());
    expect(table).not.toContain(email.split('@')[0] as string);

    // The other account's rows are untouched.
    const bystanderAfter = after.filter((row) => names(row, bystander.user.id));
    expect(bystanderAfter).toEqual(bystanderRows);
  });

  it('are pruned when they are 90 days old, not before', async () => {
    const earlier = (await s.auditRows()).at(-1)?.seq ?? 0;
    const owner = await register(uniqueEmail('pruned'), 'Desk');
    await s.request('POST', '/v1/auth/step-up', {
      token: owner.token,
      body: { password: GOOD_PASSWORD },
    });
    const bornAt = s.clock.now();
    expect((await s.request('DELETE', '/v1/me', { token: owner.token })).status).toBe(204);
    const ids = (await s.auditRows()).filter((row) => row.seq > earlier).map((row) => row.id);
    // Registration, step-up, deletion: all kept, all about an account that is gone.
    expect(ids).toHaveLength(3);
    for (const row of (await s.auditRows()).filter((r) => ids.includes(r.id))) {
      expect(row.user_pseudonym ?? row.subject_pseudonym).toMatch(/^[0-9a-f]{64}$/);
    }
    const storage = s.running.deps.storage;
    const present = async (): Promise<number> =>
      (await s.auditRows()).filter((row) => ids.includes(row.id)).length;

    s.clock.set(bornAt + 90 * DAY - 1);
    await pruneAuditLog(storage.audit, s.clock);
    expect(await present()).toBe(ids.length);
    s.clock.set(bornAt + 90 * DAY + 1);
    await pruneAuditLog(storage.audit, s.clock);
    expect(await present()).toBe(0);
  });
});
