import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import { canPush } from '../../shared/sync/workspace-roles.js';
import type { WorkspaceRole } from '../../shared/sync/workspace-roles.js';
import { SNAPSHOT_ERROR_CODES } from '../../shared/sync/snapshot.js';
import { LAST_SEEN_RESOLUTION_MS } from '../accounts/session.service.js';
import type { Clock } from '../clock.js';
import { HttpError } from '../http/errors.js';
import { EPOCH_ID_META } from '../storage/change-log.repository.js';
import type { LoggedChange } from '../storage/change-log.repository.js';
import type { Storage } from '../storage/storage.js';

/** A push batch: at most this many changes (and SYNC_BODY_LIMIT bytes of body). */
export const MAX_PUSH_CHANGES = 5_000;
/** A push body, and the ciphertext of a pull page, are bounded by 1 MB. */
export const SYNC_BODY_LIMIT = 1_048_576;
/** A pull page: at most this many changes. */
export const MAX_PULL_CHANGES = 5_000;
/** A pull page: at most this much ciphertext, counted in base64url characters as it travels. */
export const MAX_PULL_CIPHERTEXT_CHARS = SYNC_BODY_LIMIT;

export type PushRejectCode = 'FORBIDDEN_COLLECTION' | 'CHANGE_ID_CONFLICT' | 'NOT_CANONICAL';

export type PushResult =
  | { id: string; status: 'accepted'; seq: number }
  | { id: string; status: 'rejected'; reason: { code: PushRejectCode; message: string } };

export interface PushAnswer {
  epoch: string;
  results: PushResult[];
}

export interface PullAnswer {
  epoch: string;
  changes: LoggedChange[];
  /** The `after` to ask with next: the last seq of this page, or `after` itself when empty. */
  nextAfter: number;
  more: boolean;
  /** The workspace's newest complete snapshot, so a device knows when to refresh its own. */
  snapshot: { seq: number; createdAt: number } | null;
}

/** 410: the changes after `after` were pruned; the device loads the newest snapshot. */
const historyPruned = (snapshotSeq: number | null, prunedThrough: number): HttpError =>
  new HttpError(
    410,
    SNAPSHOT_ERROR_CODES.historyPruned,
    `Changes through seq ${prunedThrough} were pruned: load the newest snapshot, then pull after its seq.`,
    {},
    { snapshotSeq, prunedThrough },
  );

/** base64url as Node writes it: decoding and encoding again gives the same text. */
const isCanonicalBase64url = (text: string): boolean =>
  Buffer.from(text, 'base64url').toString('base64url') === text;

const rejected = (id: string, code: PushRejectCode, message: string): PushResult => ({
  id,
  status: 'rejected',
  reason: { code, message },
});

/**
 * Push and pull of a workspace's encrypted changes. The caller's membership and the route's
 * matrix action (push_data, read) are checked before this runs (workspace-access.ts); here
 * each change's collection is checked against the pusher's role, since a member may push
 * money but not contracts or settings.
 */
export class ChangeLogService {
  constructor(private readonly deps: { storage: Storage; clock: Clock }) {}

  async push(
    workspace: { id: string; role: WorkspaceRole },
    pusher: { userId: string; sessionId: string },
    changes: readonly ChangeEnvelope[],
  ): Promise<PushAnswer> {
    const results: (PushResult | undefined)[] = changes.map((change) => {
      if (!canPush(workspace.role, change.collection)) {
        return rejected(
          change.id,
          'FORBIDDEN_COLLECTION',
          `Your role (${workspace.role}) cannot push changes to ${change.collection}.`,
        );
      }
      if (!isCanonicalBase64url(change.nonce) || !isCanonicalBase64url(change.ciphertext)) {
        return rejected(
          change.id,
          'NOT_CANONICAL',
          'The nonce or ciphertext is not canonical base64url (its last character has stray bits).',
        );
      }
      return undefined;
    });
    const accepted = changes.filter((_, index) => results[index] === undefined);
    const outcomes = await this.deps.storage.changeLog.append(workspace.id, accepted, {
      ...pusher,
      receivedAt: this.deps.clock.now(),
    });
    let next = 0;
    const answered = results.map((result, index): PushResult => {
      if (result !== undefined) return result;
      const change = changes[index]!;
      const outcome = outcomes[next++]!;
      if (outcome.status === 'conflict') {
        return rejected(
          change.id,
          'CHANGE_ID_CONFLICT',
          'A change with this id was pushed before with other contents; change ids are never reused.',
        );
      }
      return { id: change.id, status: 'accepted', seq: outcome.seq };
    });
    return { epoch: await this.epoch(), results: answered };
  }

  /**
   * A page of changes after `afterSeq`, and the puller's cursor recorded (one upsert) so
   * pruning keeps what this device still needs. Below the pruned mark: 410 HISTORY_PRUNED.
   */
  async pull(
    workspaceId: string,
    afterSeq: number,
    limit: number,
    sessionId: string,
  ): Promise<PullAnswer> {
    const { storage, clock } = this.deps;
    const page = await storage.changeLog.listAfter(workspaceId, afterSeq, {
      maxChanges: Math.min(limit, MAX_PULL_CHANGES),
      maxCiphertextChars: MAX_PULL_CIPHERTEXT_CHARS,
    });
    // Read after the page: pruning raises the mark before it deletes a row, so a deletion
    // that ran while the page was read shows here, and the page is not answered with a hole.
    const prunedThrough = await storage.logPruning.prunedThrough(workspaceId);
    const newest = await storage.snapshots.newest(workspaceId);
    if (afterSeq < prunedThrough) throw historyPruned(newest?.seq ?? null, prunedThrough);
    await storage.logPruning.recordPull(
      { workspaceId, sessionId, afterSeq, pulledAt: clock.now() },
      LAST_SEEN_RESOLUTION_MS,
    );
    const last = page.changes[page.changes.length - 1];
    return {
      epoch: await this.epoch(),
      changes: page.changes,
      nextAfter: last?.seq ?? afterSeq,
      more: page.more,
      snapshot:
        newest === null
          ? null
          : { seq: newest.seq, createdAt: newest.completedAt ?? newest.startedAt },
    };
  }

  /** The random id migration 008 made with the database. */
  async epoch(): Promise<string> {
    const epoch = await this.deps.storage.meta.get(EPOCH_ID_META);
    if (epoch === null) throw new Error('The database has no epoch id (migration 008)');
    return epoch;
  }
}
