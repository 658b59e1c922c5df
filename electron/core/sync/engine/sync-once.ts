import { setImmediate as nextTurn } from 'node:timers/promises';

import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { ChangeEnvelope } from '../../../../shared/sync/change-envelope.js';
import type { SyncProgress } from '../../../../shared/sync/sync-status.js';
import type { RemoteChange } from '../remote-change-shape.js';
import type { Vault } from '../../vault/vault.js';
import { getMeta, setMeta } from '../../vault/vault-meta.js';
import { RemoteChangeApplier } from '../apply/remote-change-applier.js';
import type { PushAnswer, SyncApiClient } from '../client/sync-api.client.js';
import { SyncAccountRepository } from '../sync-account.repository.js';
import {
  can,
  isWorkspaceRole,
  type WorkspaceRole,
} from '../../../../shared/sync/workspace-roles.js';
import { decryptChange, encryptChange } from '../crypto/change-cipher.js';
import type { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { PushAckLog, type PushAck } from './push-ack-log.js';
import { StateUpload } from './state-upload.js';
import { isServerCode, isSnapshotRouteMissing } from '../client/sync-api.client.js';
import type { SnapshotInfo } from '../../../../shared/sync/snapshot.js';
import { bulkLoadSnapshot, holdsAnyRecord } from '../snapshot/snapshot-bulk-load.js';
import { mergeSnapshot } from '../snapshot/snapshot-merge.js';
import { snapshotDue, type LatestSnapshot } from '../snapshot/snapshot-policy.js';
import { downloadSnapshot, uploadSnapshot } from '../snapshot/snapshot-transfer.js';
import { packSettledSnapshot } from '../snapshot/snapshot-writer.js';

type PullAnswer = ReturnType<SyncApiClient['pull']>;

/** Where a pull begins after a snapshot: the seq to pull after, and its first page if asked for. */
interface PullStart {
  after: number;
  tail: PullAnswer | null;
}

/** Changes read from the outbox per push: well under the server's 5,000. */
const PUSH_BATCH = 500;
/** A push body stays under the server's 1 MB with room for the JSON around the envelopes. */
const PUSH_BODY_BUDGET = 900_000;

export interface SyncProblem {
  changeId: string;
  code: string;
  message: string;
}

export interface SyncRunResult {
  pushed: number;
  /** Refused by the server (e.g. a collection the role may not push): left in the outbox. */
  pushRejected: SyncProblem[];
  /**
   * Changes made on this device that wait unsent because this account's role sends none
   * (a viewer, or a member demoted while offline); sent in the round that hears of a role
   * that may. 0 when nothing is held.
   */
  held: number;
  pulled: number;
  applied: number;
  alreadyHad: number;
  conflicts: number;
  deferred: number;
  /** Pulled but not applied: altered in transit, or refused by the merge (e.g. CLOCK_AHEAD). */
  refused: SyncProblem[];
  /** The newest seq of the workspace log this vault has applied. */
  seq: number;
  /** True when the server's epoch changed since the last sync: it was restored from a backup. */
  serverRestored: boolean;
  /** What this round did with workspace snapshots (docs/sync-merge.md, "Snapshots and bootstrap"). */
  snapshot: SnapshotRoundResult;
}

export interface SnapshotRoundResult {
  /** The seq of the snapshot a new device loaded before its first pull; null if none. */
  loaded: number | null;
  /** The seq of the snapshot loaded because the server pruned the history this device needed. */
  rebootstrapped: number | null;
  /** The seq of the snapshot this device wrote and uploaded; null if none. */
  written: number | null;
  /** Why writing one failed (the round itself succeeded); null if it did not. */
  writeFailed: string | null;
}

export interface SyncOnceOptions {
  /** Called after each pushed batch and each pulled page. */
  onProgress?: (progress: SyncProgress) => void;
  /** Write a snapshot when one is due: only an admin may (it holds every collection). */
  writeSnapshots?: boolean;
}

/**
 * One round of sync (docs/sync-merge.md): push the outbox, encrypted under the newest key,
 * acknowledging only what the server accepted after its durable commit; then pull every
 * page after the last applied seq, decrypt and apply it. The seq is saved after each
 * applied page, so an interrupted sync resumes where it stopped (applying is idempotent).
 * A page holding a change under a key version this device lacks stops the pull there
 * (KEY_VERSION_UNKNOWN) rather than skipping it.
 */
export async function syncOnce(
  vault: Vault,
  sync: SyncApiClient,
  workspaceId: string,
  keyring: WorkspaceKeyring,
  options: SyncOnceOptions = {},
): Promise<SyncRunResult> {
  const round = new SyncRound(vault, sync, workspaceId, keyring, options);
  await round.pushOutbox();
  await round.pullLog();
  // The pull told of a role that may push what the round held back: sent now, not a round later.
  if (round.releaseHeld()) await round.pushOutbox();
  round.queueRepush();
  const pushedBeforeUpload = round.result.pushed;
  await round.uploadState();
  // Changes pushed after the pull have seqs past it: the vault is no longer the log through
  // the pulled seq. The next round pulls them back and may write the snapshot then.
  if (options.writeSnapshots === true && round.result.pushed === pushedBeforeUpload) {
    await round.writeSnapshot();
  }
  return round.result;
}

class SyncRound {
  readonly result: SyncRunResult = {
    pushed: 0,
    pushRejected: [],
    held: 0,
    pulled: 0,
    applied: 0,
    alreadyHad: 0,
    conflicts: 0,
    deferred: 0,
    refused: [],
    seq: 0,
    serverRestored: false,
    snapshot: { loaded: null, rebootstrapped: null, written: null, writeFailed: null },
  };
  /** The newest snapshot as the last pulled page described it; undefined if it did not. */
  private latestSnapshot: LatestSnapshot | null | undefined = undefined;

  private readonly acks: PushAckLog;
  /**
   * The outbox seq this round has pushed through (outbox seqs only grow): an upload's later
   * chunks do not send again what the server refused in this round.
   */
  private pushedThrough = 0;
  /** The outbox was held back this round: the role this account has may not push. */
  private held = false;
  private readonly workspaces: SyncAccountRepository;

  constructor(
    private readonly vault: Vault,
    private readonly sync: SyncApiClient,
    private readonly workspaceId: string,
    private readonly keyring: WorkspaceKeyring,
    private readonly options: SyncOnceOptions,
  ) {
    this.acks = new PushAckLog(vault.db);
    this.workspaces = new SyncAccountRepository(vault.db);
  }

  /**
   * Whether the round held the outbox back and the role the pull brought may push: the
   * hold is then lifted for another push.
   */
  releaseHeld(): boolean {
    const role = this.workspaces.workspace()?.role;
    if (!this.held || role === undefined || !can(role, 'push_data')) return false;
    this.held = false;
    this.result.held = 0;
    this.result.pushRejected = this.result.pushRejected.filter((p) => p.code !== 'ROLE_FORBIDDEN');
    return true;
  }

  /**
   * Keeps what the outbox holds, unsent, when this account's role may not push (a viewer,
   * or a member demoted while offline): reported once for the round, and the pull goes on,
   * so the device still receives everyone else's changes.
   */
  private holdForRole(role: WorkspaceRole): void {
    this.held = true;
    const waiting = this.vault.changes.pendingCount();
    this.result.held = waiting;
    const first = this.vault.changes.pending(1)[0];
    if (first === undefined) return;
    this.result.pushRejected.push({
      changeId: first.change.id,
      code: 'ROLE_FORBIDDEN',
      message: `${waiting === 1 ? '1 change' : `${waiting} changes`} made on this device wait unsent: your role in this workspace is ${role}, which sends no changes. An admin can make you a member.`,
    });
  }

  /** The role a pulled page gives this account, kept where local writes check it. */
  private noteRole(role: unknown): void {
    if (!isWorkspaceRole(role)) return;
    const current = this.workspaces.workspace();
    if (current === null || current.workspaceId !== this.workspaceId || current.role === role) {
      return;
    }
    this.vault.transaction(() => this.workspaces.setRole(this.workspaceId, role));
  }

  async pushOutbox(): Promise<void> {
    if (this.held) return;
    const role = this.workspaces.workspace()?.role;
    if (role !== undefined && !can(role, 'push_data')) {
      if (this.vault.changes.pendingCount() > 0) this.holdForRole(role);
      return;
    }
    const key = this.keyring.current();
    let afterSeq = this.pushedThrough;
    for (;;) {
      const entries = this.vault.changes.pending(PUSH_BATCH, afterSeq);
      if (entries.length === 0) return;
      const batch: ChangeEnvelope[] = [];
      const hlcs = new Map<string, string>();
      let bytes = 0;
      for (const entry of entries) {
        const envelope = encryptChange(entry.change, key);
        bytes += JSON.stringify(envelope).length + 1;
        if (batch.length > 0 && bytes > PUSH_BODY_BUDGET) break;
        batch.push(envelope);
        hlcs.set(entry.change.id, entry.change.hlc);
        afterSeq = entry.seq;
      }
      let answer: PushAnswer;
      try {
        answer = await this.sync.push(this.workspaceId, batch);
      } catch (error) {
        // Only a viewer may not push at all: the role changed since this device last heard.
        if (!isServerCode(error, 'FORBIDDEN_ROLE')) throw error;
        this.vault.transaction(() => this.workspaces.setRole(this.workspaceId, 'viewer'));
        this.holdForRole('viewer');
        return;
      }
      this.noteEpoch(answer.epoch);
      const accepted: string[] = [];
      const seqs = new Map<string, number>();
      for (const outcome of answer.results) {
        if (outcome.status === 'accepted') {
          accepted.push(outcome.id);
          if (outcome.seq !== undefined) seqs.set(outcome.id, outcome.seq);
        } else {
          this.result.pushRejected.push({
            changeId: outcome.id,
            code: outcome.reason?.code ?? 'REJECTED',
            message: outcome.reason?.message ?? 'The server refused this change.',
          });
        }
      }
      this.pushedThrough = afterSeq;
      this.vault.transaction(() => {
        this.vault.changes.acknowledge(accepted);
        const ack = pushAck(answer.epoch, seqs, hlcs, this.vault.now());
        if (ack !== null) this.acks.record(ack);
      });
      this.result.pushed += accepted.length;
      this.progress();
    }
  }

  async pullLog(): Promise<void> {
    const applier = new RemoteChangeApplier(this.vault);
    let after = Number(getMeta(this.vault.db, 'sync_pulled_seq') ?? '0');
    let prefetched: PullAnswer | null = null;
    if (after === 0 && !holdsAnyRecord(this.vault)) {
      ({ after, tail: prefetched } = await this.bootstrap());
    }
    for (;;) {
      let page: Awaited<PullAnswer>;
      try {
        page = await (prefetched ?? this.sync.pull(this.workspaceId, after));
      } catch (error) {
        // The log below what this device needs was pruned: start again from the newest
        // snapshot, merged into what is here, then pull on from its seq.
        if (
          !isServerCode(error, 'HISTORY_PRUNED') ||
          this.result.snapshot.rebootstrapped !== null
        ) {
          throw error;
        }
        ({ after, tail: prefetched } = await this.rebootstrap(after));
        continue;
      }
      prefetched = null;
      this.noteRole(page.role);
      if (page.snapshot !== undefined) this.latestSnapshot = page.snapshot;
      if (this.noteEpoch(page.epoch)) {
        after = 0;
        continue;
      }
      if (page.more && page.changes.length > 0) {
        // The server reads and sends the next page while this one is opened and applied.
        // Marked handled now: if this page stops the pull, nobody awaits the next one.
        prefetched = this.sync.pull(this.workspaceId, page.nextAfter);
        prefetched.catch(() => undefined);
        // The request only leaves once the event loop turns (Node hands a request its
        // socket on the next tick): without this turn it went out after the page was
        // applied, and the device waited for each page as if nothing were fetched ahead.
        await nextTurn();
      }
      const changes: RemoteChange[] = [];
      let lastOpened = after;
      for (const envelope of page.changes) {
        const { seq, ...sealed } = envelope;
        try {
          changes.push(decryptChange(sealed, this.keyring));
        } catch (error) {
          if (isCofferError(error) && error.code === 'KEY_VERSION_UNKNOWN') {
            // Not ours to skip: a key version an admin has yet to share. Stop before it.
            this.applyPage(applier, changes);
            this.savePulledSeq(lastOpened);
            throw new CofferError(
              'KEY_VERSION_UNKNOWN',
              `Change ${sealed.id} is under workspace key version ${sealed.keyVersion}, which no admin has shared with this device yet; sync again once one has.`,
            );
          }
          this.result.refused.push({
            changeId: sealed.id,
            code: isCofferError(error) ? error.code : 'CHANGE_DECRYPT_FAILED',
            message: isCofferError(error) ? error.message : 'The change could not be opened.',
          });
        }
        lastOpened = seq;
      }
      this.applyPage(applier, changes);
      this.acks.markSurvivors(
        page.epoch,
        page.changes.map((change) => change.id),
      );
      this.result.pulled += page.changes.length;
      after = page.changes.length === 0 ? after : page.nextAfter;
      this.savePulledSeq(after);
      this.progress();
      if (!page.more) return;
    }
  }

  /**
   * After a pull that reached the end of a restored server's log: queues a re-push of every
   * own field stamped at or after the oldest HLC of a push the restore lost, and settles the
   * earlier epochs' acknowledgements (docs/sync-merge.md, "Re-push after a server restore").
   */
  queueRepush(): void {
    const epoch = getMeta(this.vault.db, 'sync_server_epoch');
    if (epoch === null || !this.acks.hasStale(epoch)) return;
    this.vault.transaction(() => {
      const lostFrom = this.acks.lostFrom(epoch);
      if (lostFrom !== null) new StateUpload(this.vault).startRepush(lostFrom);
      this.acks.dropStale(epoch);
    });
  }

  /**
   * Sends the vault's record state a chunk at a time, pushing each before the next: the
   * first upload of records written before the vault was linked, or a queued re-push.
   */
  async uploadState(): Promise<void> {
    const upload = new StateUpload(this.vault);
    upload.startFirstUpload();
    while (upload.pending()) {
      upload.emitChunk();
      await this.pushOutbox();
    }
  }

  /**
   * A new device (nothing pulled, no synced record) loads the newest snapshot, if there is
   * one, straight into its empty vault, and pulls only the changes after it. Returns the seq
   * to pull after, and the first page after it if already asked for.
   */
  private async bootstrap(): Promise<PullStart> {
    let info: SnapshotInfo | null;
    try {
      info = await this.sync.latestSnapshot(this.workspaceId);
    } catch (error) {
      // A server from before snapshots: the whole log, as before.
      if (isSnapshotRouteMissing(error)) return { after: 0, tail: null };
      throw error;
    }
    if (info === null) return { after: 0, tail: null };
    // The load checks every line in its one transaction: a bad one applies nothing.
    const spooled = await downloadSnapshot(this.sync, this.workspaceId, info, this.keyring, {
      checkContent: false,
    });
    let tail: PullAnswer;
    try {
      ({ tail } = await this.askForTail(info.seq));
      // It checks each record's clocks as it stores them: not read twice.
      bulkLoadSnapshot(this.vault, info.seq, spooled.entries({ checkClocks: false }));
    } finally {
      spooled.close();
    }
    this.result.snapshot.loaded = info.seq;
    this.result.seq = info.seq;
    return { after: info.seq, tail };
  }

  /**
   * Asks for the first page after a snapshot's seq before the snapshot is loaded, so the
   * server reads and sends it while the device loads: the device then applies it without
   * waiting a round trip. Node gives a request its connection only when the event loop
   * turns, and the load is synchronous: hence the turn before returning (wrapped, so the
   * caller's await does not wait for the page). Marked handled: a load that fails leaves
   * nobody awaiting it.
   */
  private async askForTail(seq: number): Promise<{ tail: PullAnswer }> {
    const tail = this.sync.pull(this.workspaceId, seq);
    tail.catch(() => undefined);
    await nextTurn();
    return { tail };
  }

  /**
   * After a pull answered HISTORY_PRUNED: merges the newest snapshot into this vault through
   * the normal merge (its unsynced edits stay where newer, and are pushed next) and returns
   * its seq, to pull on from, with the first page after it already asked for.
   */
  private async rebootstrap(after: number): Promise<PullStart> {
    const info = await this.sync.latestSnapshot(this.workspaceId);
    if (info === null || info.seq <= after) {
      throw new CofferError(
        'SERVER_ERROR',
        'The sync server pruned the history this device needs but offers no snapshot past it.',
      );
    }
    // The merge applies in batches: the whole snapshot is checked before the first.
    const spooled = await downloadSnapshot(this.sync, this.workspaceId, info, this.keyring, {
      checkContent: true,
    });
    let tail: PullAnswer;
    try {
      ({ tail } = await this.askForTail(info.seq));
      this.addApplied(mergeSnapshot(this.vault, info.seq, spooled.entries()));
    } finally {
      spooled.close();
    }
    this.result.snapshot.rebootstrapped = info.seq;
    this.result.seq = info.seq;
    this.progress();
    return { after: info.seq, tail };
  }

  /**
   * After a round that left the outbox empty: writes and uploads a snapshot at the pulled
   * seq when one is due (snapshot-policy.ts). A failure does not fail the round: the
   * changes are synced, and the next round tries again.
   */
  async writeSnapshot(): Promise<void> {
    const seq = this.result.seq;
    if (this.vault.changes.pendingCount() > 0 || this.result.pushRejected.length > 0) return;
    let latest: LatestSnapshot | null;
    try {
      latest =
        this.latestSnapshot !== undefined
          ? this.latestSnapshot
          : await this.sync.latestSnapshot(this.workspaceId);
    } catch (error) {
      // A server from before snapshots takes none: nothing to write, nothing to report.
      if (isSnapshotRouteMissing(error)) return;
      this.snapshotFailed(error);
      return;
    }
    try {
      if (!snapshotDue(latest, seq, this.vault.now())) return;
      const packed = packSettledSnapshot(this.vault, this.keyring.current(), seq);
      if (packed === null) return;
      await uploadSnapshot(this.sync, this.workspaceId, packed);
      this.result.snapshot.written = seq;
    } catch (error) {
      this.snapshotFailed(error);
    }
  }

  /** A revoked session ends the round (the caller shreds); any other failure is reported. */
  private snapshotFailed(error: unknown): void {
    if (isCofferError(error) && error.code === 'SESSION_REVOKED') throw error;
    this.result.snapshot.writeFailed = isCofferError(error)
      ? `${error.code}: ${error.message}`
      : `The snapshot could not be written (${error instanceof Error ? error.message : String(error)}).`;
  }

  /**
   * Remembers the server's epoch; true when it changed since the last sync. A restored
   * server may lack changes this vault already applied or pushed: the log is pulled again
   * from the start (applying is idempotent), and the result says so.
   */
  private noteEpoch(epoch: string): boolean {
    const known = getMeta(this.vault.db, 'sync_server_epoch');
    if (known === epoch) return false;
    this.vault.transaction(() => {
      if (known !== null) setMeta(this.vault.db, 'sync_pulled_seq', '0');
      setMeta(this.vault.db, 'sync_server_epoch', epoch);
    });
    if (known === null) return false;
    this.result.serverRestored = true;
    return true;
  }

  private applyPage(applier: RemoteChangeApplier, changes: RemoteChange[]): void {
    if (changes.length === 0) return;
    this.addApplied(applier.apply(changes));
  }

  private addApplied(applied: ReturnType<RemoteChangeApplier['apply']>): void {
    this.result.applied += applied.applied;
    this.result.alreadyHad += applied.alreadyHad;
    this.result.conflicts += applied.conflicts;
    this.result.deferred += applied.deferred;
    this.result.refused.push(...applied.refused);
  }

  private savePulledSeq(seq: number): void {
    this.result.seq = seq;
    this.vault.transaction(() => setMeta(this.vault.db, 'sync_pulled_seq', String(seq)));
  }

  private progress(): void {
    const { pushed, pulled, applied, seq } = this.result;
    this.options.onProgress?.({ pushed, pulled, applied, seq });
  }
}

/** What the acknowledgement log keeps of one push; null when the server accepted none of it. */
function pushAck(
  epoch: string,
  seqs: ReadonlyMap<string, number>,
  hlcs: ReadonlyMap<string, string>,
  ackedAt: number,
): PushAck | null {
  let first: number | null = null;
  let last: { id: string; seq: number } | null = null;
  let minHlc: string | null = null;
  let maxHlc: string | null = null;
  for (const [id, seq] of seqs) {
    const hlc = hlcs.get(id);
    if (hlc === undefined) continue;
    if (first === null || seq < first) first = seq;
    if (last === null || seq > last.seq) last = { id, seq };
    if (minHlc === null || hlc < minHlc) minHlc = hlc;
    if (maxHlc === null || hlc > maxHlc) maxHlc = hlc;
  }
  if (first === null || last === null || minHlc === null || maxHlc === null) return null;
  return {
    epoch,
    firstSeq: first,
    lastSeq: last.seq,
    lastChangeId: last.id,
    minHlc,
    maxHlc,
    ackedAt,
  };
}
