/**
 * Outgoing mail. The server only ever sends plain-text notices and one-time codes, so a
 * message is a recipient, a subject and a text body: no HTML (nothing to sanitise, nothing
 * that loads remote content in a mail client).
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The sender address used when the configuration names none. */
export const DEFAULT_MAIL_FROM = 'Coffer <no-reply@coffer.invalid>';

/**
 * A message that could not be handed to the relay (no STARTTLS, certificate refused,
 * relay down …). The message is fixed text naming the relay by `host:port` and the
 * reason: never a credential, the recipient or the mail. The HTTP layer answers it with
 * 503 EMAIL_NOT_SENT.
 */
export class MailNotSentError extends Error {
  constructor(
    readonly reason: MailFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'MailNotSentError';
  }
}

export type MailFailureReason =
  'starttls_unavailable' | 'tls_failed' | 'auth_refused' | 'unreachable' | 'refused' | 'failed';
