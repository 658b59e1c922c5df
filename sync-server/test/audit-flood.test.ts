import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuditService } from '../audit/audit.service.js';
import type { SignInEntry } from '../audit/sign-in-history.js';
import { REFUSALS_WRITTEN_EACH, REFUSAL_WINDOW_MS } from '../audit/refusal-aggregator.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { GOOD_PASSWORD, login, register, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const audit = (): AuditService => server.deps.audit as AuditService;
const loginRows = (subject: string): { status_code: number; repeats: number }[] =>
  (server.deps.storage as SqliteStorage).db
    .prepare(
      `SELECT status_code, repeats FROM audit_log
        WHERE action = 'POST /v1/auth/login' AND subject_user_id = ? ORDER BY seq`,
    )
    .all(subject) as { status_code: number; repeats: number }[];

describe('a flood of refused sign-ins', () => {
  it('writes a few rows a minute that still account for every attempt', async () => {
    const victim = await register(server);
    const attempts = 60;
    const statuses: number[] = [];
    for (let i = 0; i < attempts; i += 1) {
      const answer = await server.request('POST', '/v1/auth/login', {
        body: { email: victim.email, password: `not ${GOOD_PASSWORD} ${i}`, deviceName: 'x' },
      });
      statuses.push(answer.status);
    }
    // Wrong passwords, then the login backoff's 429s: refusals, all of them.
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    await audit().settled();
    const kinds = new Set(statuses).size;
    expect(loginRows(victim.user.id)).toHaveLength(kinds * REFUSALS_WRITTEN_EACH);

    server.clock.advance(REFUSAL_WINDOW_MS);
    await audit().flushRefusals();
    const rows = loginRows(victim.user.id);
    expect(rows.length).toBeLessThanOrEqual(kinds * (REFUSALS_WRITTEN_EACH + 1));
    expect(rows.reduce((sum, row) => sum + row.repeats, 0)).toBe(attempts);

    // The account's own sign-in history shows the summary with its count.
    const session = await login(server, victim.email, GOOD_PASSWORD).catch(() => null);
    if (session === null) return; // still backed off: the count above is the proof
    const history = await server.request<{ signIns: SignInEntry[] }>('GET', '/v1/me/sign-ins', {
      token: session.token,
    });
    const refused = history.json.signIns.filter((entry) => entry.outcome !== 'success');
    expect(refused.reduce((sum, entry) => sum + entry.repeats, 0)).toBe(attempts);
  });

  it('writes every success on its own', async () => {
    const account = await register(server);
    for (let i = 0; i < REFUSALS_WRITTEN_EACH + 3; i += 1) {
      await login(server, account.email, GOOD_PASSWORD);
    }
    await audit().settled();
    const rows = loginRows(account.user.id);
    expect(rows).toHaveLength(REFUSALS_WRITTEN_EACH + 3);
    expect(rows.every((row) => row.repeats === 1)).toBe(true);
  });

  it('sums up what is still counted when the server stops', async () => {
    const other = await startAccountsServer();
    const db = (other.deps.storage as SqliteStorage).db;
    const victim = await register(other);
    const attempts = REFUSALS_WRITTEN_EACH + 7;
    for (let i = 0; i < attempts; i += 1) {
      await other.request('POST', '/v1/auth/login', {
        body: { email: victim.email, password: `wrong ${i} ${GOOD_PASSWORD}`, deviceName: 'x' },
      });
    }
    await (other.deps.audit as AuditService).settled();
    const total = (): number =>
      db
        .prepare(
          `SELECT coalesce(sum(repeats), 0) FROM audit_log
            WHERE action = 'POST /v1/auth/login' AND subject_user_id = ?`,
        )
        .pluck()
        .get(victim.user.id) as number;
    expect(total()).toBeLessThan(attempts);
    // The app closes before the database does (server.ts): its onClose writes the summaries.
    await other.app.close();
    expect(total()).toBe(attempts);
    await other.close();
  });
});
