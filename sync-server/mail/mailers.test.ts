import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { createLogger } from '../logger.js';
import { captureLog } from '../test/support/log-capture.js';
import { startSmtpInbox } from '../test/support/smtp-inbox.js';
import { loadOutboundTrust } from '../tls/outbound-trust.js';
import { createMailer } from './create-mailer.js';
import { MailNotSentError } from './mailer.js';
import { OutboxMailer, formatEml } from './outbox.mailer.js';
import { SmtpMailer } from './smtp.mailer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('OutboxMailer', () => {
  it('writes one 0600 .eml file per message into the outbox folder it creates', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'coffer-outbox-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const dir = path.join(root, 'outbox');
    const mailer = new OutboxMailer({ dir, from: 'Coffer <a@b.c>', clock: new ManualClock() });
    await mailer.send({ to: 'ana@example.com', subject: 'Code', text: 'Your code is 123456\nBye' });
    await mailer.send({ to: 'ana@example.com', subject: 'Second', text: 'x' });

    const files = await readdir(dir);
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const first = path.join(dir, files.sort()[0] ?? '');
    expect((await stat(first)).mode & 0o777).toBe(0o600);
    const eml = await readFile(first, 'utf8');
    expect(eml).toContain('To: ana@example.com\r\n');
    expect(eml).toContain('Your code is 123456\r\nBye');
  });

  it('keeps header values on one line (no header injection)', () => {
    const eml = formatEml(
      'Coffer <a@b.c>',
      { to: 'x@y.z\r\nBcc: evil@example.com', subject: 'Hi\nX-Evil: 1', text: 'body' },
      0,
    );
    const head = eml.slice(0, eml.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^Bcc:/m);
    expect(head).not.toMatch(/^X-Evil:/m);
  });
});

describe('createMailer', () => {
  it('uses SMTP when a URL is configured, else the outbox folder', () => {
    const clock = new ManualClock();
    const logger = createLogger('silent');
    expect(
      createMailer({ smtpUrl: 'smtp://127.0.0.1:2525', outboxDir: '/tmp/o', clock, logger })
        .transport,
    ).toEqual({
      kind: 'smtp',
    });
    expect(createMailer({ outboxDir: '/tmp/o', clock, logger }).transport).toEqual({
      kind: 'outbox',
      dir: '/tmp/o',
    });
  });
});

describe('SmtpMailer', () => {
  it('delivers to a real smtp-server over STARTTLS, verifying its certificate', async () => {
    const inbox = await startSmtpInbox();
    cleanups.push(() => inbox.close());
    const mailer = new SmtpMailer({
      url: inbox.url,
      from: 'Coffer <no-reply@coffer.test>',
      logger: createLogger('silent'),
      trust: await loadOutboundTrust(inbox.caFile),
    });
    cleanups.push(async () => mailer.close());
    await mailer.send({ to: 'ana@example.com', subject: 'Hello', text: 'Your code is 654321' });
    const mail = await inbox.waitFor((m) => m.to.includes('ana@example.com'));
    expect(mail.subject).toBe('Hello');
    expect(mail.text).toContain('Your code is 654321');
    expect(mail.secure).toBe(true);
  });

  it('refuses a loopback relay whose STARTTLS certificate it cannot verify, naming only host:port', async () => {
    const inbox = await startSmtpInbox();
    cleanups.push(() => inbox.close());
    const log = captureLog('info');
    const url = inbox.url.replace('smtp://', 'smtp://relay-user:relay-pass-7f3a@');
    const mailer = new SmtpMailer({ url, from: 'Coffer <a@b.c>', logger: log.logger });
    cleanups.push(async () => mailer.close());
    const sent = mailer.send({ to: 'ana@example.com', subject: 'Code', text: 'code 111222' });
    await expect(sent).rejects.toThrow(MailNotSentError);
    await expect(sent).rejects.toMatchObject({ reason: 'tls_failed' });
    expect(inbox.messages).toEqual([]);
    expect(inbox.authAttempts).toEqual([]);
    expect(log.entries()).toMatchObject([
      { level: 50, event: 'mail_not_sent', relay: `127.0.0.1:${inbox.port}`, reason: 'tls_failed' },
    ]);
    for (const secret of ['relay-user', 'relay-pass-7f3a', '111222', 'ana@example.com']) {
      expect(log.text()).not.toContain(secret);
    }
  });
});
