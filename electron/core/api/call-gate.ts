/**
 * Keeps a call that holds the vault's write transaction open across awaits (an import,
 * which yields between chunks so its progress reaches the window) apart from every other
 * call. Other calls run side by side as before; an exclusive call starts once the calls
 * already running have ended, and calls that arrive while it runs wait for it to end. So a
 * call arriving mid-import neither reads rows the import may still roll back nor writes
 * into its transaction (where a rollback would undo it too).
 */
export class CallGate {
  private running = 0;
  private exclusive: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive !== null) await this.exclusive;
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      if (this.running === 0) this.drained?.();
    }
  }

  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive !== null) await this.exclusive;
    let release = (): void => undefined;
    this.exclusive = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      if (this.running > 0) {
        await new Promise<void>((resolve) => {
          this.drained = resolve;
        });
      }
      this.drained = null;
      return await work();
    } finally {
      this.exclusive = null;
      release();
    }
  }
}
