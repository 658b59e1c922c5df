/**
 * Runs at most `limit` tasks at once; the rest wait in arrival order. Argon2 runs on
 * libuv's thread pool, which file writes (mail outbox, logs, SQLite's async users) share:
 * unbounded hashing under a login flood would queue every other pool job behind it, so
 * logins would stop finishing at all instead of finishing at the rate the CPUs allow.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('limit must be a positive integer');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.running--;
      else next(); // the slot passes straight to the next task
    }
  }

  /** Tasks running or waiting. */
  get pending(): number {
    return this.running + this.waiting.length;
  }
}
