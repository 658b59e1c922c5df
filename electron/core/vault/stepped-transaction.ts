import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { SqliteDatabase } from './sqlcipher.js';

/**
 * One write transaction whose work runs in synchronous steps with awaits between them, so
 * a long write (an import) lets the process answer its event loop (progress reaches the
 * window while it runs) and still commits all or nothing.
 *
 * Between two steps the connection holds the open transaction, so anything else that
 * wrote through it would join that transaction, and be rolled back with it. The gate
 * closes that door: while a stepped transaction waits, `assertFree` (called by every
 * `vault.transaction`) throws VAULT_BUSY, and a second stepped transaction is refused the
 * same way. Reads are not stopped here: the API dispatcher holds other calls back while an
 * import runs (CallGate), so a window never reads rows that may still be rolled back.
 */
export class TransactionGate {
  /** True while a stepped transaction is open and waiting between two of its steps. */
  private waiting = false;
  private open = false;

  /** `inScope` runs each step; the vault passes the change recorder's transaction scope. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly inScope: <R>(step: () => R) => R = (step) => step(),
  ) {}

  assertFree(): void {
    if (this.waiting) throw busy();
  }

  /**
   * Runs `steps` to the end, each `next()` inside the transaction; `between` is awaited
   * after every step but the last, with the value that step yielded. Commits when the
   * steps return, rolls back when a step throws or `between` rejects.
   */
  async run<T, Y>(steps: Iterator<Y, T>, between: (yielded: Y) => Promise<void>): Promise<T> {
    if (this.open) throw busy();
    this.open = true;
    this.db.prepare('BEGIN IMMEDIATE').run();
    try {
      for (;;) {
        const step = this.inScope(() => steps.next());
        if (step.done === true) {
          this.db.prepare('COMMIT').run();
          return step.value;
        }
        this.waiting = true;
        try {
          await between(step.value);
        } finally {
          this.waiting = false;
        }
      }
    } catch (error) {
      steps.return?.(undefined);
      if (this.db.inTransaction) this.db.prepare('ROLLBACK').run();
      throw error;
    } finally {
      this.open = false;
    }
  }
}

function busy(): CofferError {
  return new CofferError(
    'VAULT_BUSY',
    'The vault is busy writing an import: try again when it has finished',
  );
}
