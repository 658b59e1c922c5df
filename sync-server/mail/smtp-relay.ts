import { isIPv4 } from 'node:net';

import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

import type { OutboundTrust } from '../tls/outbound-trust.js';

/**
 * How mail reaches the relay. Never in clear over a network:
 * - `smtps://` — TLS from the first byte (port 465 unless named);
 * - `smtp://` to a relay off this machine — STARTTLS is required: a relay that does not
 *   offer it, or whose certificate does not verify, gets no AUTH and no message;
 * - `smtp://` to a relay on loopback — the mail does not leave the machine, so plain SMTP
 *   is allowed (STARTTLS is still used, and verified, when the relay offers it).
 */
export interface RelayPlan {
  host: string;
  /** undefined: nodemailer's default for the mode (465 for smtps, else 587). */
  port: number | undefined;
  mode: 'smtps' | 'starttls-required' | 'loopback';
  /** `host:port` for log lines: never the user name or password. */
  label: string;
}

/**
 * Whether the URL's host names this machine's loopback interface, judged on the literal
 * text only: `localhost`, a dotted-quad IPv4 address in 127.0.0.0/8, or `[::1]`. A name is
 * never looked up: `mail.internal` may resolve to 127.0.0.1 today and elsewhere tomorrow,
 * so it counts as remote. Other spellings (`127.1`, `::ffff:127.0.0.1`, `0.0.0.0`) count as
 * remote too: the exception is kept to what an operator means, and "remote" only means
 * that TLS is required.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  return isIPv4(host) && host.split('.')[0] === '127';
}

/** Reads an smtp:// or smtps:// URL. */
export function planRelay(url: string): RelayPlan {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new TypeError('The SMTP URL must start with smtp:// or smtps://');
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  let mode: RelayPlan['mode'];
  if (parsed.protocol === 'smtps:') mode = 'smtps';
  else mode = isLoopbackHost(parsed.hostname) ? 'loopback' : 'starttls-required';
  const defaultPort = mode === 'smtps' ? 465 : 587;
  return { host, port, mode, label: `${parsed.hostname}:${port ?? defaultPort}` };
}

/**
 * nodemailer options for the URL, built field by field (never `url:`, whose query string
 * could switch TLS off). Certificates are always verified, against `trust`.
 */
export function smtpTransportOptions(
  url: string,
  trust: OutboundTrust,
): SMTPTransport.Options & { opportunisticTLS: boolean } {
  const parsed = new URL(url);
  const plan = planRelay(url);
  const user = decodeURIComponent(parsed.username);
  return {
    host: plan.host,
    ...(plan.port === undefined ? {} : { port: plan.port }),
    secure: plan.mode === 'smtps',
    requireTLS: plan.mode === 'starttls-required',
    ignoreTLS: false,
    opportunisticTLS: false,
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(parsed.password) } }),
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(trust.ca === undefined ? {} : { ca: trust.ca }),
    },
    logger: false,
    debug: false,
    // Code mails are sent inside requests: a stuck relay must fail fast rather than hold a
    // sign-in open for nodemailer's default minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}
