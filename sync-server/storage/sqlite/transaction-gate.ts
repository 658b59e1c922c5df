import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * better-sqlite3 has one connection and synchronous transactions, but repository methods
 * are async (for PostgreSQL later), so a transaction spans awaits. The gate makes that safe:
 * while a transaction is open, only calls made from inside its async context run; calls
 * from other requests wait until it commits or rolls back, so they never land inside it.
 */
export class TransactionGate {
  private readonly context = new AsyncLocalStorage<symbol>();
  private current: { token: symbol; done: Promise<void> } | undefined;

  /** True when the caller runs inside the open transaction. */
  insideTransaction(): boolean {
    return this.current !== undefined && this.context.getStore() === this.current.token;
  }

  /** True when a transaction is open and the caller is not part of it. */
  blocked(): boolean {
    return this.current !== undefined && !this.insideTransaction();
  }

  /** Settles when the open transaction ends. */
  async ended(): Promise<void> {
    await this.current?.done;
  }

  /**
   * Waits until the caller may use the database. Use it as a loop in the caller itself —
   * `while (gate.blocked()) await gate.ended();` — and touch the database right after, with
   * no await in between: returning from a helper would take one more tick, in which another
   * transaction could begin.
   */

  /**
   * Runs `fn` as the one open transaction: `begin`, then `fn` in its own async context,
   * then `commit`, or `rollback` when it throws. A nested call joins the open transaction.
   */
  async run<T>(
    fn: () => Promise<T>,
    sql: { begin(): void; commit(): void; rollback(): void },
  ): Promise<T> {
    if (this.insideTransaction()) return fn();
    while (this.current !== undefined) await this.current.done;
    // No await between that check and here: nobody else can open one meanwhile.
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const token = Symbol('transaction');
    this.current = { token, done };
    try {
      sql.begin();
      try {
        const result = await this.context.run(token, fn);
        sql.commit();
        return result;
      } catch (error) {
        sql.rollback();
        throw error;
      }
    } finally {
      this.current = undefined;
      release();
    }
  }
}

/**
 * Wraps a repository so that each method first waits at the gate. Methods call each other
 * through `this` (the unwrapped object), so a repository never waits for itself.
 */
export function gated<T extends object>(repository: T, gate: TransactionGate): T {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return async (...args: unknown[]): Promise<unknown> => {
        while (gate.blocked()) await gate.ended();
        return method.apply(target, args);
      };
    },
  });
}
