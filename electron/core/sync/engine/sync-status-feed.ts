import type { SyncStatus } from '../../../../shared/sync/sync-status.js';

export type SyncStatusListener = (status: SyncStatus) => void;

/** The loop's current status and its subscribers; each change is told once, in order. */
export class SyncStatusFeed {
  private readonly listeners = new Set<SyncStatusListener>();

  constructor(private status: SyncStatus) {}

  get current(): SyncStatus {
    return this.status;
  }

  /** Calls `listener` with every status from now on; returns the call that stops it. */
  subscribe(listener: SyncStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(status: SyncStatus): void {
    this.status = status;
    for (const listener of [...this.listeners]) listener(status);
  }
}
