import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

import type { MailMessage, Mailer } from './mailer.js';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…` (COFFER_SERVER_SMTP_URL). */
  url: string;
  from: string;
  /**
   * Skip STARTTLS. Only for a relay on loopback (the tests' in-process smtp-server); a
   * remote relay must be reached over TLS.
   */
  ignoreTls?: boolean;
}

/** Sends mail through an SMTP relay with nodemailer. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(options: SmtpMailerOptions) {
    this.from = options.from;
    this.transport = nodemailer.createTransport({
      url: options.url,
      ignoreTLS: options.ignoreTls === true,
      // Sign-in and code mails are sent inside requests: a stuck relay must fail fast
      // rather than hold a login open for nodemailer's default minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }

  close(): void {
    this.transport.close();
  }
}
