import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { SMTPServer } from 'smtp-server';

import { makeTestCertificate } from './test-certificate.js';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  raw: string;
  /** Whether the session was encrypted (STARTTLS or smtps) when the message came in. */
  secure: boolean;
}

export interface SmtpInboxOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** The host the URL names (and the certificate covers); default `host`. */
  urlHost?: string;
  /**
   * `starttls` (default): plain SMTP offering STARTTLS with a test certificate;
   * `none`: no TLS at all; `implicit`: TLS from the first byte (smtps://).
   */
  tls?: 'starttls' | 'none' | 'implicit';
}

export interface SmtpInbox {
  /** `smtp://HOST:PORT` (`smtps://` for implicit TLS) for config.smtpUrl. */
  url: string;
  /** The host the URL names. */
  host: string;
  port: number;
  /**
   * A PEM file holding the inbox's test certificate, for the server's --trust-ca (config
   * `trustCaFile`); undefined when the inbox has no TLS. Deleted by close().
   */
  caFile: string | undefined;
  messages: ReceivedMail[];
  /** Every AUTH the inbox was sent, with whether the session was encrypted by then. */
  authAttempts: { user: string; secure: boolean }[];
  /** Connections accepted so far. */
  connections(): number;
  /** The first message (already received or arriving within `timeoutMs`) matching `match`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages to one address. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) receiving what the Coffer server sends with
 * nodemailer; port 0. By default it offers STARTTLS with a certificate made at start for
 * its host, localhost and 127.0.0.1. It accepts any AUTH, in clear too: a client that
 * sends credentials where it should not is recorded in `authAttempts`, not stopped.
 */
export async function startSmtpInbox(options: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const host = options.host ?? '127.0.0.1';
  const urlHost = options.urlHost ?? host;
  const mode = options.tls ?? 'starttls';
  const messages: ReceivedMail[] = [];
  const authAttempts: { user: string; secure: boolean }[] = [];
  let connections = 0;
  const waiters: {
    match: (mail: ReceivedMail) => boolean;
    resolve: (mail: ReceivedMail) => void;
  }[] = [];

  let caDir: string | undefined;
  let caFile: string | undefined;
  let certificate: { key: string; cert: string } | undefined;
  if (mode !== 'none') {
    const made = await makeTestCertificate([...new Set([urlHost, host, 'localhost', '127.0.0.1'])]);
    caDir = await mkdtemp(path.join(tmpdir(), 'coffer-smtp-ca-'));
    caFile = path.join(caDir, 'inbox-ca.pem');
    await writeFile(caFile, made.certPem);
    certificate = { key: made.keyPem, cert: made.certPem };
  }

  const server = new SMTPServer({
    secure: mode === 'implicit',
    ...(certificate ?? {}),
    disabledCommands: mode === 'none' ? ['STARTTLS'] : [],
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, session, callback) {
      authAttempts.push({ user: auth.username ?? '', secure: session.secure });
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parseMail(
          raw,
          session.envelope.rcptTo.map((r) => r.address),
          session.secure,
        );
        messages.push(mail);
        for (const waiter of [...waiters]) {
          if (waiter.match(mail)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(mail);
          }
        }
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const bracketed = urlHost.includes(':') ? `[${urlHost}]` : urlHost;

  return {
    url: `${mode === 'implicit' ? 'smtps' : 'smtp'}://${bracketed}:${port}`,
    host: urlHost,
    port,
    caFile,
    messages,
    authAttempts,
    connections: () => connections,
    to: (address) => messages.filter((m) => m.to.includes(address)),
    waitFor(match, timeoutMs = 5_000) {
      const found = messages.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('no matching mail arrived'));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (caDir !== undefined) await rm(caDir, { recursive: true, force: true });
    },
  };
}

/** Just enough RFC 5322/MIME for nodemailer's single-part text mail. */
function parseMail(raw: string, to: string[], secure: boolean): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string): string =>
    new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') {
    text = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { to, subject: header('Subject'), text: text.replace(/\r\n/g, '\n'), raw, secure };
}
