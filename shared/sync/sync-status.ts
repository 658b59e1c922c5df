/** Counts of a sync round so far, reported as it goes (after each pushed batch and pulled page). */
export interface SyncProgress {
  pushed: number;
  pulled: number;
  applied: number;
  /** The newest workspace log seq applied here so far. */
  seq: number;
}

/**
 * What the device's sync is doing, for a status line or an icon. `retryAt` is when the
 * loop tries again on its own (UTC ms); null in `error` means it stopped and will not.
 * `held` in `synced`: changes made on this device that wait unsent because this account's
 * role in the workspace sends none (everything else is in step).
 */
export type SyncStatus =
  | { state: 'synced'; lastSyncAt: number; seq: number; held: number }
  | { state: 'syncing'; progress: SyncProgress }
  | { state: 'offline'; queued: number; retryAt: number }
  | { state: 'error'; code: string; message: string; retryAt: number | null; queued: number };

export type SyncState = SyncStatus['state'];
