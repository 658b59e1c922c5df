/**
 * What pruning a workspace's change log needs (docs/sync-merge.md, "Snapshots and
 * bootstrap", On the server): each device's pull cursor, which devices still count as
 * active, through which seq the log was pruned, and the deletion itself. Every method
 * returns a Promise so a PostgreSQL implementation fits behind the same interface.
 */

/** The `after` of a session's newest pull in a workspace, and when it pulled. */
export interface PullCursor {
  workspaceId: string;
  sessionId: string;
  afterSeq: number;
  pulledAt: number;
}

/**
 * Which cursors hold pruning back: the session is not revoked and has not ended by
 * inactivity (`lastSeenAt + idleMs > now`) or age (`createdAt + absoluteMs > now`), its
 * user is still a member of the workspace, and it pulled at or after `pulledSince`.
 */
export interface ActiveDeviceRule {
  now: number;
  pulledSince: number;
  idleMs: number;
  absoluteMs: number;
}

export interface LogPruningRepository {
  /**
   * Records a pull: one upsert per session and workspace. When the `afterSeq` is the one
   * already recorded, `pulledAt` is rewritten only once the stored one is `resolutionMs`
   * old, so a device polling with nothing new costs no write.
   */
  recordPull(cursor: PullCursor, resolutionMs: number): Promise<void>;

  /** The lowest `afterSeq` among the workspace's active devices; null when it has none. */
  activeFloor(workspaceId: string, rule: ActiveDeviceRule): Promise<number | null>;

  /** Through which seq the workspace's log was pruned; 0 when never. */
  prunedThrough(workspaceId: string): Promise<number>;

  /**
   * Records that changes through `seq` are (about to be) deleted. Only ever raises the mark.
   * Set before deleting, so a pull that reads the mark after reading its page notices a
   * deletion that ran in between.
   */
  markPruned(workspaceId: string, seq: number, at: number): Promise<void>;

  /** Deletes at most `limit` of the workspace's changes with seq ≤ `seq`; returns how many. */
  deleteChangesThrough(workspaceId: string, seq: number, limit: number): Promise<number>;

  /** Workspaces whose newest complete snapshot lies above what their log was pruned through. */
  pruneCandidates(): Promise<string[]>;
}
