import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Clock } from '../clock.js';
import type { MailMessage, Mailer } from './mailer.js';

export interface OutboxMailerOptions {
  /** `<dataDir>/outbox`; created (0700) on first send. */
  dir: string;
  from: string;
  clock: Clock;
}

/**
 * With no SMTP relay configured, mail is written as RFC 5322 `.eml` files into the data
 * dir's outbox so an operator can read (or forward) it. Files are 0600: they hold one-time
 * codes.
 */
export class OutboxMailer implements Mailer {
  private sequence = 0;

  constructor(private readonly options: OutboxMailerOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  async send(message: MailMessage): Promise<void> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const now = this.options.clock.now();
    const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
    // Sorts in sending order, also for messages within the same millisecond.
    this.sequence += 1;
    const name = `${stamp}-${String(this.sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}.eml`;
    await writeFile(join(this.options.dir, name), formatEml(this.options.from, message, now), {
      mode: 0o600,
      flag: 'wx',
    });
  }
}

/** A minimal text/plain message. Header values are stripped of CR/LF (no header injection). */
export function formatEml(from: string, message: MailMessage, nowMs: number): string {
  const header = (value: string): string => value.replace(/[\r\n]+/g, ' ');
  return [
    `From: ${header(from)}`,
    `To: ${header(message.to)}`,
    `Subject: ${header(message.subject)}`,
    `Date: ${new Date(nowMs).toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    message.text.replace(/\r?\n/g, '\r\n'),
    '',
  ].join('\r\n');
}
