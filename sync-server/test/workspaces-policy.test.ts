import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TOTP_PERIOD_SECONDS, totpCodeAt } from '../mfa/totp.js';
import { register, startAccountsServer, stepUp } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { codeFromMail } from './support/mfa-fixtures.js';
import { adminWithWorkspace, joinAs, snapshot } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string };
}

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

let server: AccountsTestServer;

beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

/** The current TOTP code, after moving one step on so no code is ever used twice. */
function nextCode(secret: string): string {
  server.clock.advance(STEP_MS);
  return totpCodeAt({ secret }, server.clock.now());
}

/** Steps up (password only, as the user has no factor yet) and enrols TOTP; returns its secret. */
async function enrolTotp(user: User): Promise<string> {
  await stepUp(server, user.token, user.password);
  const setup = await server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token: user.token,
    body: {},
  });
  expect(setup.status, setup.text).toBe(200);
  const confirmed = await server.request('POST', '/v1/me/mfa/totp/confirm', {
    token: user.token,
    body: { code: nextCode(setup.json.secret) },
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return setup.json.secret;
}

async function stepUpTotp(user: User, secret: string): Promise<void> {
  const res = await server.request('POST', '/v1/auth/step-up', {
    token: user.token,
    body: { password: user.password, method: 'totp', code: nextCode(secret) },
  });
  expect(res.status, res.text).toBe(200);
}

const putPolicy = (user: User, workspaceId: string, requireMfa: boolean, forbidEmailOtp: boolean) =>
  server.request<ErrorJson & { requireMfa?: boolean }>(
    'PUT',
    `/v1/workspaces/${workspaceId}/policy`,
    { token: user.token, body: { requireMfa, forbidEmailOtp } },
  );

describe('workspace policy: require 2FA', () => {
  it('an admin without a second factor cannot require one (409), and can after enrolling TOTP', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    await stepUp(server, admin.token, admin.password);
    const before = snapshot(server);
    const refused = await putPolicy(admin, workspaceId, true, false);
    expect([refused.status, refused.json.error?.code]).toEqual([409, 'POLICY_WOULD_LOCK_OUT']);
    expect(snapshot(server)).toBe(before);

    const secret = await enrolTotp(admin);
    await stepUpTotp(admin, secret);
    const set = await putPolicy(admin, workspaceId, true, false);
    expect(set.status, set.text).toBe(200);
    expect(set.json).toEqual({ requireMfa: true, forbidEmailOtp: false });
  });

  it('a member without a second factor gets 403 MFA_REQUIRED everywhere but enrolment, then is let in', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const outsider = await register(server);
    const adminSecret = await enrolTotp(admin);
    await stepUpTotp(admin, adminSecret);
    expect((await putPolicy(admin, workspaceId, true, false)).status).toBe(200);

    const blocked: [string, string][] = [
      ['GET', `/v1/workspaces/${workspaceId}/members`],
      ['GET', '/v1/workspaces'],
      ['GET', '/v1/me'],
      ['GET', '/v1/me/sessions'],
    ];
    for (const [method, path] of blocked) {
      const res = await server.request<ErrorJson>(method, path, { token: member.token });
      expect([res.status, res.json.error?.code], path).toEqual([403, 'MFA_REQUIRED']);
    }
    // A user outside the workspace is not touched by its policy.
    expect((await server.request('GET', '/v1/me', { token: outsider.token })).status).toBe(200);
    expect((await server.request('GET', '/v1/me/mfa', { token: member.token })).status).toBe(200);

    await enrolTotp(member);
    for (const [method, path] of blocked) {
      const res = await server.request(method, path, { token: member.token });
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
  });

  it('turning the policy off lets members without a factor back in', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
    const secret = await enrolTotp(admin);
    await stepUpTotp(admin, secret);
    expect((await putPolicy(admin, workspaceId, true, false)).status).toBe(200);
    expect((await server.request('GET', '/v1/me', { token: viewer.token })).status).toBe(403);
    expect((await putPolicy(admin, workspaceId, false, false)).status).toBe(200);
    expect((await server.request('GET', '/v1/me', { token: viewer.token })).status).toBe(200);
  });
});

describe('workspace policy: forbid email codes', () => {
  it('refuses email codes at sign-in and step-up for members, and mails none', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const memberSecret = await enrolTotp(member);
    await stepUpTotp(member, memberSecret);
    expect(
      (await server.request('POST', '/v1/me/mfa/email', { token: member.token, body: {} })).status,
    ).toBe(200);

    const challenge = async (): Promise<string> => {
      const res = await server.request<{ challengeToken: string }>('POST', '/v1/auth/login', {
        body: { email: member.email, password: member.password, deviceName: 'Phone' },
      });
      expect(res.status).toBe(200);
      return res.json.challengeToken;
    };
    // Before the policy, email codes work.
    const sentBefore = server.mailer.sent.length;
    const open = await challenge();
    expect(
      (
        await server.request('POST', '/v1/auth/login/mfa/email-code', {
          body: { challengeToken: open },
        })
      ).status,
    ).toBe(202);
    expect(server.mailer.sent.length).toBe(sentBefore + 1);
    const mailed = codeFromMail(server.mailer.sent.at(-1)?.text ?? '');

    const adminSecret = await enrolTotp(admin);
    await stepUpTotp(admin, adminSecret);
    expect((await putPolicy(admin, workspaceId, false, true)).status).toBe(200);

    const mailsAfterPolicy = server.mailer.sent.length;
    const forbiddenAnswer = await server.request<ErrorJson>('POST', '/v1/auth/login/mfa', {
      body: { challengeToken: open, method: 'email', code: mailed },
    });
    expect([forbiddenAnswer.status, forbiddenAnswer.json.error?.code]).toEqual([
      403,
      'EMAIL_OTP_FORBIDDEN',
    ]);
    const fresh = await challenge();
    const send = await server.request<ErrorJson>('POST', '/v1/auth/login/mfa/email-code', {
      body: { challengeToken: fresh },
    });
    expect([send.status, send.json.error?.code]).toEqual([403, 'EMAIL_OTP_FORBIDDEN']);
    const stepUpEmail = await server.request<ErrorJson>('POST', '/v1/auth/step-up', {
      token: member.token,
      body: { password: member.password, method: 'email', code: mailed },
    });
    expect([stepUpEmail.status, stepUpEmail.json.error?.code]).toEqual([
      403,
      'EMAIL_OTP_FORBIDDEN',
    ]);
    expect(server.mailer.sent.length).toBe(mailsAfterPolicy);

    // TOTP still signs them in.
    const signedIn = await server.request<{ token?: string }>('POST', '/v1/auth/login/mfa', {
      body: { challengeToken: fresh, method: 'totp', code: nextCode(memberSecret) },
    });
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.json.token).toBeDefined();
  });

  it('an admin whose only factor is email cannot forbid email codes (409)', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    await stepUp(server, admin.token, admin.password);
    expect(
      (await server.request('POST', '/v1/me/mfa/email', { token: admin.token, body: {} })).status,
    ).toBe(200);
    const before = snapshot(server);
    for (const [requireMfa, forbid] of [
      [false, true],
      [true, true],
    ] as const) {
      const res = await putPolicy(admin, workspaceId, requireMfa, forbid);
      expect([res.status, res.json.error?.code]).toEqual([409, 'POLICY_WOULD_LOCK_OUT']);
    }
    expect(snapshot(server)).toBe(before);
    // Requiring 2FA alone is fine: email codes count while they are allowed.
    expect((await putPolicy(admin, workspaceId, true, false)).status).toBe(200);
  });
});

describe("members' second factors", () => {
  it('an admin sees which factors each member has set up; no other role sees them', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
    await enrolTotp(member);
    const listFor = async (user: User) => {
      const res = await server.request<{
        members: { userId: string; secondFactors?: string[] }[];
      }>('GET', `/v1/workspaces/${workspaceId}/members`, { token: user.token });
      expect(res.status, res.text).toBe(200);
      return new Map(res.json.members.map((m) => [m.userId, m.secondFactors]));
    };
    const seenByAdmin = await listFor(admin);
    expect(seenByAdmin.get(member.user.id)).toEqual(['totp']);
    expect(seenByAdmin.get(viewer.user.id)).toEqual([]);
    expect(seenByAdmin.get(admin.user.id)).toEqual([]);
    // A list of who has no second factor is a list of whom to try a stolen password on.
    for (const other of [member, viewer]) {
      const seen = await listFor(other);
      expect(seen.size).toBe(3);
      expect([...seen.values()].every((factors) => factors === undefined)).toBe(true);
    }
    // Backup codes (made with TOTP) stand in for a factor and are not listed as one.
    expect(JSON.stringify([...seenByAdmin.values()])).not.toContain('backup');
  });
});
