import { SNAPSHOT_ERROR_CODES } from '../../shared/sync/snapshot.js';
import type { SnapshotInfo, SnapshotManifest } from '../../shared/sync/snapshot.js';
import type { Clock } from '../clock.js';
import { HttpError, conflict, notFound } from '../http/errors.js';
import type { SnapshotRecord } from '../storage/snapshot.repository.js';
import type { Storage } from '../storage/storage.js';
import type { LogPruningService } from './log-pruning.service.js';

/** An upload that has not completed this long after it started is dropped. */
export const UNFINISHED_SNAPSHOT_MS = 24 * 60 * 60_000;

const snapshotNotFound = (): HttpError =>
  notFound('SNAPSHOT_NOT_FOUND', 'No such snapshot in this workspace.');

const invalid = (message: string, details?: Record<string, unknown>): HttpError =>
  new HttpError(400, SNAPSHOT_ERROR_CODES.invalid, message, {}, details);

const sameManifest = (a: SnapshotManifest, b: SnapshotManifest): boolean =>
  a.snapshotId === b.snapshotId &&
  a.seq === b.seq &&
  a.keyVersion === b.keyVersion &&
  a.chunkCount === b.chunkCount &&
  a.byteLength === b.byteLength;

export const manifestOf = (record: SnapshotRecord): SnapshotManifest => ({
  snapshotId: record.snapshotId,
  seq: record.seq,
  keyVersion: record.keyVersion,
  chunkCount: record.chunkCount,
  byteLength: record.byteLength,
});

export const infoOf = (record: SnapshotRecord & { completedAt: number }): SnapshotInfo => ({
  ...manifestOf(record),
  createdAt: record.completedAt,
});

const completedAtOf = (record: SnapshotRecord): number => {
  if (record.completedAt === null) throw new Error('A complete snapshot without completedAt');
  return record.completedAt;
};

/**
 * Upload and download of workspace snapshots (shared/sync/snapshot.ts). The caller's role
 * was checked before this runs (workspace-access.ts): `snapshot` to write, `read` to read.
 * The server cannot check what a snapshot holds; it checks that it fits the log (its seq
 * is logged and not pruned away) and that its chunks fit its manifest.
 */
export class SnapshotService {
  constructor(
    private readonly deps: { storage: Storage; clock: Clock; pruning: LogPruningService },
  ) {}

  async start(
    workspaceId: string,
    userId: string,
    manifest: SnapshotManifest,
  ): Promise<{ created: boolean; manifest: SnapshotManifest }> {
    const { storage, clock } = this.deps;
    const head = await storage.changeLog.headSeq(workspaceId);
    if (manifest.seq > head) {
      throw invalid(`The snapshot's seq is past the workspace log, whose newest seq is ${head}.`, {
        headSeq: head,
      });
    }
    // Loading it, a device would pull from below the pruned mark and be refused.
    const pruned = await storage.logPruning.prunedThrough(workspaceId);
    if (manifest.seq < pruned) {
      throw invalid(`The workspace log is pruned through seq ${pruned}; snapshot from there on.`, {
        prunedThrough: pruned,
      });
    }
    const now = clock.now();
    await storage.snapshots.dropUnfinishedBefore(now - UNFINISHED_SNAPSHOT_MS);
    const started = await storage.snapshots.start(workspaceId, manifest, {
      userId,
      startedAt: now,
    });
    if (!started.created && !sameManifest(manifest, manifestOf(started.snapshot))) {
      throw conflict(
        SNAPSHOT_ERROR_CODES.idConflict,
        'Another snapshot of this workspace has this id; start with a new one.',
      );
    }
    return { created: started.created, manifest: manifestOf(started.snapshot) };
  }

  /** Stores one chunk; true when it was new, false when the same bytes were there. */
  async putChunk(
    workspaceId: string,
    snapshotId: string,
    index: number,
    bytes: Buffer,
  ): Promise<boolean> {
    const { snapshots } = this.deps.storage;
    const snapshot = await snapshots.find(workspaceId, snapshotId);
    if (snapshot === null) throw snapshotNotFound();
    if (index >= snapshot.chunkCount) {
      throw invalid(`The snapshot has ${snapshot.chunkCount} chunks: index ${index} is past it.`, {
        chunkCount: snapshot.chunkCount,
      });
    }
    if (bytes.length === 0) throw invalid('A chunk holds at least one byte.');
    const outcome = await snapshots.putChunk(workspaceId, snapshotId, index, bytes);
    switch (outcome) {
      case 'stored':
        return true;
      case 'same':
        return false;
      case 'not_found':
        throw snapshotNotFound();
      case 'over_length':
        throw invalid(
          `With this chunk the snapshot would pass its byteLength of ${snapshot.byteLength}.`,
          { byteLength: snapshot.byteLength },
        );
      case 'conflict':
        throw conflict(
          SNAPSHOT_ERROR_CODES.chunkConflict,
          snapshot.completedAt === null
            ? 'This chunk index already holds other bytes.'
            : 'The snapshot is complete; its chunks cannot change.',
        );
    }
  }

  /**
   * Completes the snapshot, then prunes the workspace's log below it as far as its active
   * devices allow. Answers the completed snapshot's info.
   */
  async complete(workspaceId: string, snapshotId: string): Promise<SnapshotInfo> {
    const outcome = await this.deps.storage.snapshots.complete(
      workspaceId,
      snapshotId,
      this.deps.clock.now(),
    );
    switch (outcome.status) {
      case 'not_found':
        throw snapshotNotFound();
      case 'incomplete':
        throw new HttpError(
          409,
          SNAPSHOT_ERROR_CODES.incomplete,
          `${outcome.missing.length} chunk(s) of the snapshot are missing; upload them first.`,
          {},
          { missing: outcome.missing },
        );
      case 'short':
        throw invalid(
          `The chunks hold ${outcome.byteLength} bytes, fewer than the manifest's byteLength.`,
          { storedBytes: outcome.byteLength },
        );
      case 'completed':
        await this.deps.pruning.pruneWorkspace(workspaceId);
        return infoOf({ ...outcome.snapshot, completedAt: completedAtOf(outcome.snapshot) });
    }
  }

  /** The workspace's newest complete snapshot, or null. */
  async newest(workspaceId: string): Promise<SnapshotInfo | null> {
    const newest = await this.deps.storage.snapshots.newest(workspaceId);
    return newest === null ? null : infoOf({ ...newest, completedAt: completedAtOf(newest) });
  }

  /** One chunk of a complete snapshot. */
  async readChunk(workspaceId: string, snapshotId: string, index: number): Promise<Buffer> {
    const { snapshots } = this.deps.storage;
    const bytes = await snapshots.readChunk(workspaceId, snapshotId, index);
    if (bytes !== null) return bytes;
    const snapshot = await snapshots.find(workspaceId, snapshotId);
    if (snapshot?.completedAt != null && index >= snapshot.chunkCount) {
      throw invalid(`The snapshot has ${snapshot.chunkCount} chunks: index ${index} is past it.`, {
        chunkCount: snapshot.chunkCount,
      });
    }
    // An upload still under way is not readable yet.
    throw snapshotNotFound();
  }
}

export const noSnapshot = (): HttpError =>
  notFound(SNAPSHOT_ERROR_CODES.noSnapshot, 'The workspace has no complete snapshot yet.');
