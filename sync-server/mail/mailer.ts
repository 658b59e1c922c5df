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
