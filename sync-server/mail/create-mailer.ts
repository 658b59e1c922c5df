import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OutboundTrust } from '../tls/outbound-trust.js';
import { DEFAULT_MAIL_FROM } from './mailer.js';
import type { Mailer } from './mailer.js';
import { OutboxMailer } from './outbox.mailer.js';
import { SmtpMailer } from './smtp.mailer.js';

export interface MailerConfig {
  /** COFFER_SERVER_SMTP_URL; absent → outbox folder. */
  smtpUrl?: string | undefined;
  from?: string | undefined;
  /** `<dataDir>/outbox`. */
  outboxDir: string;
  clock: Clock;
  logger: Logger;
  /** Certificate authorities for the relay (--trust-ca); default Node's built-in list. */
  trust?: OutboundTrust;
}

export type MailTransport = { kind: 'smtp' } | { kind: 'outbox'; dir: string };

/** The SMTP mailer when a relay is configured, else the outbox folder (which start-up announces). */
export function createMailer(config: MailerConfig): { mailer: Mailer; transport: MailTransport } {
  const from = config.from ?? DEFAULT_MAIL_FROM;
  if (config.smtpUrl !== undefined && config.smtpUrl !== '') {
    return {
      mailer: new SmtpMailer({
        url: config.smtpUrl,
        from,
        logger: config.logger,
        ...(config.trust === undefined ? {} : { trust: config.trust }),
      }),
      transport: { kind: 'smtp' },
    };
  }
  return {
    mailer: new OutboxMailer({ dir: config.outboxDir, from, clock: config.clock }),
    transport: { kind: 'outbox', dir: config.outboxDir },
  };
}
