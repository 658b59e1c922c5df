import { randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { captureLog } from './support/log-capture.js';
import type { LogCapture } from './support/log-capture.js';
import {
  PASSWORD,
  codeFromMail,
  login,
  registerUser,
  startMfaHarness,
  stepUp,
} from './support/mfa-fixtures.js';
import { nonLoopbackHost } from './support/network.js';
import { startSmtpInbox } from './support/smtp-inbox.js';
import type { SmtpInbox, SmtpInboxOptions } from './support/smtp-inbox.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestResponse, TestServer } from './support/start-test-server.js';

// The real server sends sign-in codes through nodemailer to a real smtp-server. A relay the
// URL names by a non-loopback address is treated as remote (support/network.ts says how the
// test reaches one on this machine); its credentials ride in the URL like an operator's.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const RELAY_USER = 'coffer-relay-user';

interface Setup {
  inbox: SmtpInbox;
  server: TestServer;
  log: LogCapture;
  relayPassword: string;
}

async function setup(
  inboxOptions: SmtpInboxOptions & { remote: boolean },
  trustInboxCa: boolean,
): Promise<Setup> {
  const where = inboxOptions.remote
    ? await nonLoopbackHost()
    : { urlHost: '127.0.0.1', listenOn: '127.0.0.1' };
  const inbox = await startSmtpInbox({
    host: where.listenOn,
    urlHost: where.urlHost,
    ...(inboxOptions.tls === undefined ? {} : { tls: inboxOptions.tls }),
  });
  cleanups.push(() => inbox.close());
  // Random, so it can be looked for in logs and answers; nothing else contains it.
  const relayPassword = `relay-pass-${randomBytes(12).toString('hex')}`;
  const url = new URL(inbox.url);
  url.username = RELAY_USER;
  url.password = relayPassword;
  const log = captureLog('info');
  const server = await startTestServer({
    logger: log.logger,
    config: {
      smtpUrl: url.toString(),
      ...(trustInboxCa ? { trustCaFile: inbox.caFile } : {}),
    },
  });
  cleanups.push(() => server.close());
  return { inbox, server, log, relayPassword };
}

/** A user with email codes on, a password login started, and a code asked for. */
async function askForSignInCode(
  server: TestServer,
): Promise<{ email: string; challengeToken: string; answer: TestResponse }> {
  const user = await registerUser(server);
  expect((await stepUp(server, user.token)).status).toBe(200);
  const enabled = await server.request('POST', '/v1/me/mfa/email', {
    token: user.token,
    body: {},
  });
  expect(enabled.status).toBe(200);
  const started = await login(server, user.email);
  expect(started.json.mfaRequired).toBe(true);
  const challengeToken = started.json.challengeToken ?? '';
  const answer = await server.request('POST', '/v1/auth/login/mfa/email-code', {
    body: { challengeToken },
  });
  return { email: user.email, challengeToken, answer };
}

function expectNoSecrets(text: string, relayPassword: string): void {
  expect(text).not.toContain(relayPassword);
  expect(text).not.toContain(RELAY_USER);
  expect(text).not.toContain(PASSWORD);
}

describe('mail to a relay off loopback', () => {
  it('without STARTTLS: no AUTH, no code, 503 EMAIL_NOT_SENT and a clear error in the log', async () => {
    const { inbox, server, log, relayPassword } = await setup({ remote: true, tls: 'none' }, false);
    const { answer } = await askForSignInCode(server);

    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: {
        code: 'EMAIL_NOT_SENT',
        message: 'The email could not be sent; use another method or try again later.',
      },
    });
    // The server did talk to the relay, and stopped at STARTTLS.
    expect(inbox.connections()).toBeGreaterThan(0);
    expect(inbox.authAttempts).toEqual([]);
    expect(inbox.messages).toEqual([]);

    const refusals = log.entries().filter((e) => e.event === 'mail_not_sent');
    expect(refusals.length).toBeGreaterThan(0);
    for (const entry of refusals) {
      expect(entry).toMatchObject({
        level: 50,
        relay: `${inbox.host}:${inbox.port}`,
        reason: 'starttls_unavailable',
      });
      expect(entry.msg).toBe(
        `mail not sent: the SMTP relay ${inbox.host}:${inbox.port} does not offer STARTTLS and ` +
          'is not on loopback; nothing was sent to it (no credentials, no message). Use a ' +
          'relay with STARTTLS, or smtps://.',
      );
    }
    expectNoSecrets(log.text(), relayPassword);
    expectNoSecrets(answer.text, relayPassword);
    // Answered, not crashed: the request was not logged as an internal failure.
    expect(log.entries().filter((e) => e.msg === 'request failed')).toEqual([]);
  });

  it('with STARTTLS and a certificate it trusts (--trust-ca): AUTH and the code only over TLS', async () => {
    const { inbox, server } = await setup({ remote: true, tls: 'starttls' }, true);
    const { email, answer } = await askForSignInCode(server);
    expect(answer.status).toBe(202);
    const mail = await inbox.waitFor((m) => m.to.includes(email) && m.text.includes('code is'));
    expect(codeFromMail(mail.text)).toMatch(/^\d{6}$/);
    expect(inbox.messages.length).toBeGreaterThan(0);
    expect(inbox.messages.every((m) => m.secure)).toBe(true);
    expect(inbox.authAttempts.length).toBeGreaterThan(0);
    expect(inbox.authAttempts.every((a) => a.secure && a.user === RELAY_USER)).toBe(true);
  });

  it('with STARTTLS but a certificate it cannot verify: nothing sent, 503, reason tls_failed', async () => {
    const { inbox, server, log, relayPassword } = await setup(
      { remote: true, tls: 'starttls' },
      false,
    );
    const { answer } = await askForSignInCode(server);
    expect(answer.status).toBe(503);
    expect((answer.json as { error: { code: string } }).error.code).toBe('EMAIL_NOT_SENT');
    expect(inbox.connections()).toBeGreaterThan(0);
    expect(inbox.authAttempts).toEqual([]);
    expect(inbox.messages).toEqual([]);
    expect(log.entries().filter((e) => e.event === 'mail_not_sent')).not.toEqual([]);
    expect(
      log
        .entries()
        .filter((e) => e.event === 'mail_not_sent')
        .every((e) => e.reason === 'tls_failed'),
    ).toBe(true);
    expectNoSecrets(log.text(), relayPassword);
  });

  it('over smtps:// (TLS from the first byte) with a trusted certificate', async () => {
    const { inbox, server } = await setup({ remote: true, tls: 'implicit' }, true);
    expect(inbox.url).toMatch(/^smtps:\/\//);
    const { email, answer } = await askForSignInCode(server);
    expect(answer.status).toBe(202);
    const mail = await inbox.waitFor((m) => m.to.includes(email) && m.text.includes('code is'));
    expect(mail.secure).toBe(true);
    expect(inbox.authAttempts.every((a) => a.secure)).toBe(true);
  });
});

describe('mail to a relay on loopback', () => {
  it('may go in clear: the mail never leaves the machine', async () => {
    const { inbox, server } = await setup({ remote: false, tls: 'none' }, false);
    expect(inbox.url).toMatch(/^smtp:\/\/127\.0\.0\.1:/);
    const { email, answer } = await askForSignInCode(server);
    expect(answer.status).toBe(202);
    const mail = await inbox.waitFor((m) => m.to.includes(email) && m.text.includes('code is'));
    expect(mail.secure).toBe(false);
  });

  it('the suites’ test inbox offers STARTTLS with a test certificate, and the server uses it', async () => {
    const harness = await startMfaHarness();
    cleanups.push(() => harness.close());
    expect(harness.inbox.caFile).toBeDefined();
    const { email, answer } = await askForSignInCode(harness.server);
    expect(answer.status).toBe(202);
    const mail = await harness.inbox.waitFor((m) => m.to.includes(email));
    expect(mail.secure).toBe(true);
  });
});
