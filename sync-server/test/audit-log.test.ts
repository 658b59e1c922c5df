import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { totpCodeAt } from '../mfa/totp.js';
import { GOOD_PASSWORD, uniqueEmail } from './accounts-support.js';
import { startLoggedServer } from './audit-support.js';
import type { LoggedServer } from './audit-support.js';
import { wrongTotpCode } from './support/totp-codes.js';

let s: LoggedServer;
beforeAll(async () => {
  s = await startLoggedServer();
});
afterAll(async () => s.close());

interface Grant {
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

async function register(email = uniqueEmail('audit'), deviceName = 'Laptop'): Promise<Grant> {
  const response = await s.request<Grant>('POST', '/v1/auth/register', {
    body: { email, password: GOOD_PASSWORD, deviceName },
  });
  expect(response.status).toBe(201);
  return response.json;
}

/** Raw control characters (C0, DEL, C1, line/paragraph separators) — none may be logged. */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

describe('audit log: every request', () => {
  it('records time, request id, user, session, action (route pattern), outcome and IP', async () => {
    const grant = await register();
    const before = (await s.auditRows()).length;

    const me = await s.request('GET', '/v1/me', { token: grant.token });
    expect(me.status).toBe(200);
    const missing = await s.request('GET', '/v1/no/such/route');
    expect(missing.status).toBe(404);
    const wrong = await s.request('POST', '/v1/auth/login', {
      body: { email: grant.user.email, password: 'not the password at all', deviceName: 'x' },
    });
    expect(wrong.status).toBe(401);
    const unknown = await s.request('POST', '/v1/auth/login', {
      body: { email: uniqueEmail('nobody'), password: 'not the password at all', deviceName: 'x' },
    });
    expect(unknown.status).toBe(401);
    const revoke = await s.request('DELETE', `/v1/me/sessions/${randomUUID()}`, {
      token: grant.token,
    });
    expect(revoke.status).toBe(403);
    const anonymous = await s.request('GET', '/v1/me', { token: 'x'.repeat(43) });
    expect(anonymous.status).toBe(401);

    const rows = (await s.auditRows()).slice(before);
    expect(rows.map((r) => r.action)).toEqual([
      'GET /v1/me',
      'GET (no route)',
      'POST /v1/auth/login',
      'POST /v1/auth/login',
      'DELETE /v1/me/sessions/:id',
      'GET /v1/me',
    ]);
    const [meRow, missingRow, wrongRow, unknownRow, revokeRow, anonymousRow] = rows;
    expect(meRow).toMatchObject({
      at: s.clock.now(),
      request_id: me.headers['x-request-id'],
      status_code: 200,
      error_code: null,
      outcome: 'success',
      user_id: grant.user.id,
      session_id: grant.sessionId,
      subject_user_id: null,
      user_agent: null,
    });
    expect(meRow?.ip).toMatch(/127\.0\.0\.1$/);
    expect(missingRow).toMatchObject({ status_code: 404, error_code: 'NOT_FOUND', user_id: null });
    // A login attempt names the account it was for by id, never by email.
    expect(wrongRow).toMatchObject({
      status_code: 401,
      error_code: 'INVALID_CREDENTIALS',
      outcome: 'failure',
      user_id: null,
      subject_user_id: grant.user.id,
      factor: 'password',
      device_name: 'x',
    });
    expect(unknownRow).toMatchObject({ error_code: 'INVALID_CREDENTIALS', subject_user_id: null });
    // Revoking a session needs a step-up: refused, and recorded as the caller's.
    expect(revokeRow).toMatchObject({
      status_code: 403,
      error_code: 'STEP_UP_REQUIRED',
      outcome: 'failure',
      user_id: grant.user.id,
    });
    expect(anonymousRow).toMatchObject({ status_code: 401, user_id: null, session_id: null });
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(rows.length);
  });

  it('records a successful login with the session it issued', async () => {
    const grant = await register();
    const login = await s.request<Grant>('POST', '/v1/auth/login', {
      body: { email: grant.user.email, password: GOOD_PASSWORD, deviceName: 'Phone' },
    });
    expect(login.status).toBe(200);
    const row = (await s.auditRows()).at(-1);
    expect(row).toMatchObject({
      action: 'POST /v1/auth/login',
      outcome: 'success',
      subject_user_id: grant.user.id,
      session_id: login.json.sessionId,
      device_name: 'Phone',
    });
  });

  it('keeps the record of the request that deleted the account, under a pseudonym', async () => {
    const grant = await register();
    await s.request('POST', '/v1/auth/step-up', {
      token: grant.token,
      body: { password: GOOD_PASSWORD },
    });
    const deleted = await s.request('DELETE', '/v1/me', { token: grant.token });
    expect(deleted.status).toBe(204);
    const rows = await s.auditRows();
    expect(rows.at(-1)).toMatchObject({ action: 'DELETE /v1/me', status_code: 204, user_id: null });
    expect(rows.at(-1)?.user_pseudonym).toMatch(/^[0-9a-f]{64}$/);
    // The other rows that named the account stay too, without its id
    // (audit-after-deletion.test.ts).
    expect(rows.filter((r) => r.user_id === grant.user.id)).toEqual([]);
    expect(rows.filter((r) => r.subject_user_id === grant.user.id)).toEqual([]);
  });
});

describe('audit log: no secrets', () => {
  it('keeps passwords, tokens, codes, emails and secret headers out of the table and the log', async () => {
    const email = uniqueEmail('secretive');
    const grant = await register(email);
    const secrets: string[] = [email, GOOD_PASSWORD, grant.token];

    // Enrol TOTP: the secret, the codes and the backup codes are secrets too.
    await s.request('POST', '/v1/auth/step-up', {
      token: grant.token,
      body: { password: GOOD_PASSWORD },
    });
    const setup = await s.request<{ secret: string; otpauthUri: string }>(
      'POST',
      '/v1/me/mfa/totp',
      { token: grant.token, body: {} },
    );
    expect(setup.status).toBe(200);
    const enrolCode = totpCodeAt({ secret: setup.json.secret }, s.clock.now());
    const confirm = await s.request<{ backupCodes: string[] }>('POST', '/v1/me/mfa/totp/confirm', {
      token: grant.token,
      body: { code: enrolCode },
    });
    expect(confirm.status).toBe(200);
    secrets.push(setup.json.secret, enrolCode, ...confirm.json.backupCodes);

    // Log in with the second factor: a wrong code, then the right one.
    const login = await s.request<{ challengeToken: string }>('POST', '/v1/auth/login', {
      body: { email, password: GOOD_PASSWORD, deviceName: 'Desk' },
    });
    expect(login.status).toBe(200);
    s.clock.advance(30_000);
    const code = totpCodeAt({ secret: setup.json.secret }, s.clock.now());
    const wrongCode = wrongTotpCode({ secret: setup.json.secret }, s.clock.now());
    const refused = await s.request('POST', '/v1/auth/login/mfa', {
      body: { challengeToken: login.json.challengeToken, method: 'totp', code: wrongCode },
    });
    expect(refused.status).toBe(401);
    const signedIn = await s.request<{ token: string }>('POST', '/v1/auth/login/mfa', {
      body: { challengeToken: login.json.challengeToken, method: 'totp', code },
    });
    expect(signedIn.status).toBe(200);
    secrets.push(login.json.challengeToken, code, wrongCode, signedIn.json.token);

    // Secrets in a query string, a path, and headers, on routes that exist and that do not.
    const queryToken = `qs${randomUUID().replaceAll('-', '')}`;
    const pathToken = `path${randomUUID().replaceAll('-', '')}`;
    const headerSecret = `hdr${randomUUID().replaceAll('-', '')}`;
    const cookieSecret = `ck${randomUUID().replaceAll('-', '')}`;
    secrets.push(queryToken, pathToken, headerSecret, cookieSecret);
    await s.request('GET', `/v1/me?token=${queryToken}&password=${queryToken}`, {
      token: signedIn.json.token,
      headers: { 'x-api-key': headerSecret, cookie: `sid=${cookieSecret}` },
    });
    await s.request('GET', `/v1/invites/${pathToken}/accept?code=${queryToken}`, {
      headers: { authorization: `Bearer ${headerSecret}` },
    });
    await s.request('DELETE', `/v1/me/sessions/${pathToken}`, { token: signedIn.json.token });
    // A password-change body and a malformed body that carries a password.
    await s.request('POST', '/v1/me/password', {
      token: signedIn.json.token,
      body: { currentPassword: GOOD_PASSWORD, newPassword: `${headerSecret} new` },
    });
    await s.request('POST', '/v1/auth/login', {
      body: { email, password: `${cookieSecret} x`, deviceName: 'd', extra: queryToken },
    });

    const rows = await s.auditRows();
    const table = JSON.stringify(rows);
    const log = s.logText();
    expect(log).toContain('"msg":"audit"');
    for (const secret of secrets) {
      expect(table, 'audit table').not.toContain(secret);
      expect(log, 'server log').not.toContain(secret);
    }
    expect(rows.some((r) => r.action === 'GET /v1/me' && r.user_id === grant.user.id)).toBe(true);
    // The second-factor results are recorded against the account, with the factor used.
    const mfaRows = rows.filter((r) => r.action === 'POST /v1/auth/login/mfa');
    expect(mfaRows.map((r) => [r.subject_user_id, r.factor, r.outcome, r.error_code])).toEqual([
      [grant.user.id, 'totp', 'failure', 'INVALID_CODE'],
      [grant.user.id, 'totp', 'success', null],
    ]);
    const passwordStep = rows.find(
      (r) => r.action === 'POST /v1/auth/login' && r.device_name === 'Desk',
    );
    expect(passwordStep).toMatchObject({ outcome: 'mfa_required', subject_user_id: grant.user.id });
  });
});

describe('audit log: forged lines', () => {
  it('escapes newlines, carriage returns and ANSI escapes in device names and User-Agents', async () => {
    const grant = await register();
    const forged = 'evil\r\n{"level":30,"msg":"audit","forged":true}\u001b[31mred\u001b[0m';
    const rejected = await s.request('POST', '/v1/auth/login', {
      body: { email: grant.user.email, password: GOOD_PASSWORD, deviceName: forged },
      headers: { 'user-agent': 'agent\u009b31mred' },
    });
    // The schema refuses C0 controls in a device name; the attempt is still recorded.
    expect(rejected.status).toBe(400);
    // C1 controls (0x9B is an 8-bit CSI), line separators and bidi overrides are refused
    // in device names too; the attempt is still recorded, escaped.
    const sneaky = 'phone\u009b2J\u2028second line\u202eevil';
    const refused = await s.request('POST', '/v1/auth/login', {
      body: { email: grant.user.email, password: GOOD_PASSWORD, deviceName: sneaky },
    });
    expect(refused.status).toBe(400);
    // A User-Agent is not validated: whatever it holds is escaped on the way in.
    const accepted = await s.request('POST', '/v1/auth/login', {
      body: { email: grant.user.email, password: GOOD_PASSWORD, deviceName: 'phone' },
      headers: { 'user-agent': 'Mozilla\u009b31m\\n' },
    });
    expect(accepted.status).toBe(200);

    const rows = (await s.auditRows()).slice(-3);
    expect(rows[0]).toMatchObject({
      status_code: 400,
      subject_user_id: grant.user.id,
      device_name: 'evil\\r\\n{"level":30,"msg":"audit","forged":true}\\u001b[31mred\\u001b[0m',
      user_agent: 'agent\\u009b31mred',
    });
    expect(rows[1]).toMatchObject({
      status_code: 400,
      device_name: 'phone\\u009b2J\\u2028second line\\u202eevil',
    });
    expect(rows[2]).toMatchObject({
      status_code: 200,
      device_name: 'phone',
      // A literal backslash is escaped too, so it cannot pose as an escape.
      user_agent: 'Mozilla\\u009b31m\\\\n',
    });
    for (const row of rows) {
      expect(row.device_name ?? '').not.toMatch(RAW_CONTROL);
      expect(row.user_agent ?? '').not.toMatch(RAW_CONTROL);
    }

    const log = s.logText();
    expect(log).not.toMatch(RAW_CONTROL);
    expect(log).not.toContain('\u202e');
    const lines = log.split('\n').filter((line) => line !== '');
    // Every line is one JSON document; the injected "forged" object is inside a string.
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(lines.some((line) => (JSON.parse(line) as { forged?: unknown }).forged)).toBe(false);
  });
});
