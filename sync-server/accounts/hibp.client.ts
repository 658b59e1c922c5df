import { createHash } from 'node:crypto';
import https from 'node:https';

import type { OutboundTrust } from '../tls/outbound-trust.js';

/**
 * HaveIBeenPwned "Pwned Passwords" range API with k-anonymity: only the first five hex
 * characters of the password's SHA-1 leave the server; the service answers with every
 * known suffix under that prefix (`SUFFIX:COUNT` lines) and the match happens here.
 * `Add-Padding: true` asks for decoy lines (count 0) so the response size does not
 * reveal the prefix either. https://haveibeenpwned.com/API/v3#PwnedPasswords
 *
 * Off unless configured. A network failure fails OPEN (the password is accepted and a
 * warning is logged): an outage of a third-party service must not stop people from
 * registering, and the offline rules still apply.
 *
 * Over https only, certificate verified: the prefix is part of a password hash, and an
 * answer an attacker could forge would decide which passwords are accepted.
 */
export const HIBP_DEFAULT_BASE_URL = 'https://api.pwnedpasswords.com';

export interface HibpClientOptions {
  /** e.g. https://api.pwnedpasswords.com (tests: a local server speaking the protocol). */
  baseUrl: string;
  /** Whose certificates are accepted (--trust-ca); default Node's built-in list. */
  trust?: OutboundTrust;
  timeoutMs?: number;
  /** Told once per failed lookup; never receives the password or its hash. */
  onUnavailable?: (reason: string) => void;
}

export interface BreachChecker {
  /** true: seen in a breach; false: not seen; null: the service could not be asked. */
  isBreached(password: string): Promise<boolean | null>;
}

/** A range answer lists about a thousand 40-byte lines; anything far larger is not one. */
const MAX_RANGE_BYTES = 1024 * 1024;

export class HibpClient implements BreachChecker {
  private readonly baseUrl: string;
  private readonly ca: string[] | undefined;
  private readonly timeoutMs: number;
  private readonly onUnavailable: ((reason: string) => void) | undefined;

  constructor(options: HibpClientOptions) {
    if (new URL(options.baseUrl).protocol !== 'https:') {
      throw new TypeError('The HaveIBeenPwned URL must start with https://');
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.ca = options.trust?.ca;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.onUnavailable = options.onUnavailable;
  }

  async isBreached(password: string): Promise<boolean | null> {
    const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const prefix = sha1.slice(0, 5);
    const suffix = sha1.slice(5);
    let body: string;
    try {
      const response = await this.get(`${this.baseUrl}/range/${prefix}`);
      if (response.status !== 200) {
        this.onUnavailable?.(`HTTP ${response.status}`);
        return null;
      }
      body = response.body;
    } catch (error) {
      this.onUnavailable?.(error instanceof Error ? error.name : 'request failed');
      return null;
    }
    return rangeContains(body, suffix);
  }

  /** One GET over TLS (1.2 or later), the whole exchange bounded by `timeoutMs`. */
  private get(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = https.get(
        url,
        {
          headers: { 'Add-Padding': 'true', 'User-Agent': 'coffer-sync-server' },
          minVersion: 'TLSv1.2',
          ...(this.ca === undefined ? {} : { ca: this.ca }),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RANGE_BYTES) {
              request.destroy(
                Object.assign(new Error('range answer too large'), { name: 'RangeTooLarge' }),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      const timer = setTimeout(() => {
        request.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
      }, this.timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', reject);
    });
  }
}

/** Whether a range response lists `suffix` with a count above zero (padding lines are 0). */
export function rangeContains(body: string, suffix: string): boolean {
  for (const line of body.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    if (line.slice(0, colon).trim().toUpperCase() !== suffix) continue;
    const count = Number.parseInt(line.slice(colon + 1).trim(), 10);
    return Number.isFinite(count) && count > 0;
  }
  return false;
}
