import { createHash } from 'node:crypto';

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
 */
export const HIBP_DEFAULT_BASE_URL = 'https://api.pwnedpasswords.com';

export interface HibpClientOptions {
  /** e.g. https://api.pwnedpasswords.com (tests: a local server speaking the protocol). */
  baseUrl: string;
  timeoutMs?: number;
  /** Told once per failed lookup; never receives the password or its hash. */
  onUnavailable?: (reason: string) => void;
}

export interface BreachChecker {
  /** true: seen in a breach; false: not seen; null: the service could not be asked. */
  isBreached(password: string): Promise<boolean | null>;
}

export class HibpClient implements BreachChecker {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly onUnavailable: ((reason: string) => void) | undefined;

  constructor(options: HibpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.onUnavailable = options.onUnavailable;
  }

  async isBreached(password: string): Promise<boolean | null> {
    const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const prefix = sha1.slice(0, 5);
    const suffix = sha1.slice(5);
    let body: string;
    try {
      const response = await fetch(`${this.baseUrl}/range/${prefix}`, {
        headers: { 'Add-Padding': 'true', 'User-Agent': 'coffer-sync-server' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        this.onUnavailable?.(`HTTP ${response.status}`);
        return null;
      }
      body = await response.text();
    } catch (error) {
      this.onUnavailable?.(error instanceof Error ? error.name : 'request failed');
      return null;
    }
    return rangeContains(body, suffix);
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
