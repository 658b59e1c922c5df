import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rateLimiterFor } from '../audit/rate-limit.js';
import { ManualClock } from '../clock.js';
import { CHALLENGE_TTL_MS } from '../mfa/mfa-gate.js';
import { totpCodeAt } from '../mfa/totp.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { PASSWORD, registerUser, uniqueEmail } from './support/mfa-fixtures.js';
import { startRestartableServer } from './support/restartable-server.js';
import type { RestartableServer } from './support/restartable-server.js';
import {
  STEP_MS,
  answer,
  challenge,
  enrolTotp,
  expectCapped,
  expectWrong,
  wrongTotpCode,
} from './support/second-factor-steps.js';
import { startSmtpInbox } from './support/smtp-inbox.js';
import type { SmtpInbox } from './support/smtp-inbox.js';

/*
 * The counters live in the server's storage (issue 6 point 1): stopping the server and
 * starting it again on the same data dir forgives nothing — not wrong second-factor
 * answers, not the password backoff, not the per-account request limit. Each test stops
 * the server in the middle of what it counts.
 */

let inbox: SmtpInbox;
let clock: ManualClock;
let server: RestartableServer;
beforeAll(async () => {
  inbox = await startSmtpInbox();
  clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
  server = await startRestartableServer({
    clock,
    config: { smtpUrl: inbox.url, trustCaFile: inbox.caFile },
  });
});
afterAll(async () => {
  await server.close();
  await inbox.close();
});

const storageOf = (): SqliteStorage => server.current.deps.storage as SqliteStorage;

describe('counters across a restart', () => {
  it('wrong second-factor answers: six before, four after, then the right code is 429', async () => {
    const user = await enrolTotp(server.current, clock, await registerUser(server.current));
    const wrong = (): string => wrongTotpCode(user.secret, clock.now());
    const first = await challenge(server.current, user.email);
    for (let i = 0; i < 5; i += 1)
      expectWrong(await answer(server.current, first, 'totp', wrong()));
    expectWrong(
      await answer(server.current, await challenge(server.current, user.email), 'totp', wrong()),
    );

    await server.restart();

    for (let i = 0; i < 4; i += 1) {
      expectWrong(
        await answer(server.current, await challenge(server.current, user.email), 'totp', wrong()),
      );
    }
    clock.advance(STEP_MS);
    const right = totpCodeAt(user, clock.now());
    expectCapped(
      await answer(server.current, await challenge(server.current, user.email), 'totp', right),
    );
    expect(
      inbox.to(user.email).filter((m) => m.subject.startsWith('Too many wrong sign-in codes')),
    ).toHaveLength(1);

    // Restarting while locked does not unlock, nor send the lockout mail again.
    await server.restart();
    expectCapped(
      await answer(server.current, await challenge(server.current, user.email), 'totp', right),
    );
    expect(
      inbox.to(user.email).filter((m) => m.subject.startsWith('Too many wrong sign-in codes')),
    ).toHaveLength(1);
  });

  it('the password backoff: ten failures before, the eleventh attempt waits after', async () => {
    const user = await registerUser(server.current);
    const attempt = (password: string) =>
      server.current.request<{ token?: string; error?: { code: string } }>(
        'POST',
        '/v1/auth/login',
        { body: { email: user.email, password, deviceName: 'Laptop' } },
      );
    const wrongPassword = `${PASSWORD} but not`;
    for (let i = 0; i < 10; i += 1) expect((await attempt(wrongPassword)).status).toBe(401);

    await server.restart();

    // Even the right password waits: the account is inside its backoff.
    const refused = await attempt(PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.json.error?.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBe('1');
    clock.advance(1_000);
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it('the per-account request limit', async () => {
    const user = await registerUser(server.current);
    const perAccount = { limit: 3, windowMs: 60_000 };
    rateLimiterFor(server.current.deps).configure({ perAccount });
    for (let i = 0; i < 3; i += 1) {
      expect((await server.current.request('GET', '/v1/me', { token: user.token })).status).toBe(
        200,
      );
    }

    await server.restart();
    rateLimiterFor(server.current.deps).configure({ perAccount });

    const limited = await server.current.request<{ error?: { code: string } }>('GET', '/v1/me', {
      token: user.token,
    });
    expect(limited.status).toBe(429);
    expect(limited.json.error?.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('20');
    // Another account is not affected.
    const other = await registerUser(server.current, uniqueEmail('other'));
    expect((await server.current.request('GET', '/v1/me', { token: other.token })).status).toBe(
      200,
    );
  });

  it('expired login challenges and counters are pruned when the server starts', async () => {
    const user = await enrolTotp(server.current, clock, await registerUser(server.current));
    await challenge(server.current, user.email);
    const openChallenges = (): number =>
      storageOf()
        .db.prepare('SELECT count(*) FROM mfa_login_challenges WHERE user_id = ?')
        .pluck()
        .get(user.userId) as number;
    expect(openChallenges()).toBe(1);

    clock.advance(CHALLENGE_TTL_MS);
    await server.restart();
    expect(openChallenges()).toBe(0);
    // Nothing left that limits anything: every counter row still stored is live.
    const stale = storageOf()
      .db.prepare('SELECT count(*) FROM counters WHERE expires_at <= ?')
      .pluck()
      .get(clock.now());
    expect(stale).toBe(0);
  });
});
