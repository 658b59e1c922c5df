import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';

/**
 * The per-workspace change log. The server keeps ciphertext only: an envelope's clear
 * labels and its nonce and ciphertext (shared/sync/change-envelope.ts), never a key.
 * Every method returns a Promise so a PostgreSQL implementation fits behind the same
 * interface; `append` is one atomic step of the implementation on its own.
 */

/** `server_meta` key of the random id made with the database (the server's epoch). */
export const EPOCH_ID_META = 'epoch_id';

/** A change as the log holds it: its envelope and the seq the server gave it. */
export interface LoggedChange extends ChangeEnvelope {
  seq: number;
}

/** Who pushed a batch and when the server received it. */
export interface PushOrigin {
  userId: string;
  sessionId: string;
  receivedAt: number;
}

/**
 * How one change of a batch ended:
 * - `appended`: new, given the next seq;
 * - `duplicate`: the same id with the same bytes is already there, at `seq`;
 * - `conflict`: the same id is already there with other bytes (labels, nonce or
 *   ciphertext); nothing was written for it.
 */
export type AppendOutcome =
  | { status: 'appended'; seq: number }
  | { status: 'duplicate'; seq: number }
  | { status: 'conflict' };

export interface ChangePage {
  changes: LoggedChange[];
  /** True when changes after the last one of the page exist. */
  more: boolean;
}

export interface ChangeLogRepository {
  /**
   * Appends `changes` in order, all in one transaction: each new id gets the workspace's
   * next seq, a known one is reported as `duplicate` or `conflict` and not written again.
   * Resolves only once that transaction has committed. One outcome per change, in order.
   */
  append(
    workspaceId: string,
    changes: readonly ChangeEnvelope[],
    origin: PushOrigin,
  ): Promise<AppendOutcome[]>;

  /**
   * The workspace's changes with a seq above `afterSeq`, in seq order: at most `maxChanges`,
   * and no more ciphertext than `maxCiphertextChars` (counted as base64url, as it travels),
   * except that a page always holds at least one change when one exists.
   */
  listAfter(
    workspaceId: string,
    afterSeq: number,
    bounds: { maxChanges: number; maxCiphertextChars: number },
  ): Promise<ChangePage>;

  /** The last seq handed out in the workspace, 0 before its first change. */
  headSeq(workspaceId: string): Promise<number>;
}
