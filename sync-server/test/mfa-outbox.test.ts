import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { codeFromMail, login, registerUser, stepUp } from './support/mfa-fixtures.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestServer } from './support/start-test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock: new ManualClock(Date.UTC(2030, 0, 1)) });
});
afterAll(async () => server.close());

async function outboxMails(): Promise<string[]> {
  const dir = path.join(server.dataDir, 'outbox');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort();
  return Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
}

it('with no SMTP relay, codes and notices land in <dataDir>/outbox as .eml files', async () => {
  expect(server.config.smtpUrl).toBeUndefined();
  const user = await registerUser(server);
  await stepUp(server, user.token);
  expect((await server.request('POST', '/v1/me/mfa/email', { token: user.token })).status).toBe(
    200,
  );

  const started = await login(server, user.email);
  const challengeToken = started.json.challengeToken;
  expect(
    (await server.request('POST', '/v1/auth/login/mfa/email-code', { body: { challengeToken } }))
      .status,
  ).toBe(202);
  const mails = await outboxMails();
  const codeMail = mails.find((m) => m.includes('Subject: Your Coffer verification code'));
  expect(codeMail).toContain(`To: ${user.email}`);
  expect(mails.some((m) => m.includes('codes by email were turned on'))).toBe(true);

  const done = await server.request<{ token: string }>('POST', '/v1/auth/login/mfa', {
    body: { challengeToken, method: 'email', code: codeFromMail(codeMail ?? '') },
  });
  expect(done.status).toBe(200);
  expect((await outboxMails()).some((m) => m.includes('Subject: New sign-in'))).toBe(true);
});
