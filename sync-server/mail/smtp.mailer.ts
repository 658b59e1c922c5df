import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

import type { Logger } from '../logger.js';
import type { OutboundTrust } from '../tls/outbound-trust.js';
import { PUBLIC_TRUST } from '../tls/outbound-trust.js';
import { MailNotSentError } from './mailer.js';
import type { MailFailureReason, MailMessage, Mailer } from './mailer.js';
import { planRelay, smtpTransportOptions } from './smtp-relay.js';
import type { RelayPlan } from './smtp-relay.js';

export interface SmtpMailerOptions {
  /** `smtps://user:pass@host:465` or `smtp://…` (COFFER_SERVER_SMTP_URL); see smtp-relay.ts. */
  url: string;
  from: string;
  logger: Logger;
  /** Certificate authorities for the relay's certificate; default Node's built-in list. */
  trust?: OutboundTrust;
}

/**
 * Sends mail through an SMTP relay with nodemailer, over TLS unless the relay is on
 * loopback (smtp-relay.ts). A failure is logged once here, naming the relay and the reason,
 * and thrown as MailNotSentError; neither carries the credentials or the message.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly from: string;
  private readonly relay: RelayPlan;
  private readonly logger: Logger;

  constructor(options: SmtpMailerOptions) {
    this.from = options.from;
    this.logger = options.logger;
    this.relay = planRelay(options.url);
    this.transport = nodemailer.createTransport(
      smtpTransportOptions(options.url, options.trust ?? PUBLIC_TRUST),
    );
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    } catch (error) {
      const reason = failureReason(error);
      const text = `mail not sent: ${describeFailure(reason, this.relay)}`;
      this.logger.error({ event: 'mail_not_sent', relay: this.relay.label, reason }, text);
      throw new MailNotSentError(reason, text);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** nodemailer's error codes (its messages may quote the relay's replies) to a fixed reason. */
function failureReason(error: unknown): MailFailureReason {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
    message?: unknown;
  };
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === 'ETLS') {
    // The relay answered STARTTLS with an error reply: it does not offer TLS at all.
    return typeof e.responseCode === 'number' ? 'starttls_unavailable' : 'tls_failed';
  }
  if (e.code === 'EAUTH') return 'auth_refused';
  if (['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS'].includes(String(e.code))) {
    // smtps:// fails in the socket when the certificate does not verify.
    return /certificate|altnames|self[- ]signed|handshake|wrong version|ssl|tls/i.test(message)
      ? 'tls_failed'
      : 'unreachable';
  }
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return 'refused';
  return 'failed';
}

function describeFailure(reason: MailFailureReason, relay: RelayPlan): string {
  const at = `the SMTP relay ${relay.label}`;
  switch (reason) {
    case 'starttls_unavailable':
      return (
        `${at} does not offer STARTTLS and is not on loopback; nothing was sent to it ` +
        '(no credentials, no message). Use a relay with STARTTLS, or smtps://.'
      );
    case 'tls_failed':
      return (
        `TLS with ${at} failed (certificate not trusted, wrong host name or handshake refused); ` +
        'nothing was sent to it. Check the relay certificate, or --trust-ca for a private CA.'
      );
    case 'auth_refused':
      return `${at} refused the credentials in the SMTP URL.`;
    case 'unreachable':
      return `${at} could not be reached.`;
    case 'refused':
      return `${at} refused the message.`;
    case 'failed':
      return `sending through ${at} failed.`;
  }
}
