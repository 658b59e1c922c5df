import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import { SNAPSHOT_CHUNK_MAX_BYTES, type SnapshotInfo } from '../../../../shared/sync/snapshot.js';
import type { SyncApiClient } from '../client/sync-api.client.js';
import type { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import type { PackedSnapshot } from './snapshot-codec.js';
import { SnapshotChunkReader, snapshotEntries } from './snapshot-codec.js';
import type { SnapshotEntry } from './snapshot-lines.js';
import { invalid } from './snapshot-lines.js';

/** Tries per chunk: a chunk PUT is idempotent for the same bytes, so one that failed is sent again. */
const CHUNK_ATTEMPTS = 3;
/** Failures worth another try: the connection, or the server's own trouble. */
const RETRYABLE = new Set(['SERVER_UNREACHABLE', 'SERVER_ERROR', 'RATE_LIMITED']);

/** Uploads a packed snapshot: start, every chunk (each retried), complete. */
export async function uploadSnapshot(
  sync: SyncApiClient,
  workspaceId: string,
  packed: PackedSnapshot,
): Promise<void> {
  const { manifest, chunks } = packed;
  await sync.startSnapshot(workspaceId, manifest);
  for (const [index, chunk] of chunks.entries()) {
    for (let attempt = 1; ; attempt++) {
      try {
        await sync.putSnapshotChunk(workspaceId, manifest.snapshotId, index, chunk);
        break;
      } catch (error) {
        if (attempt >= CHUNK_ATTEMPTS || !isCofferError(error) || !RETRYABLE.has(error.code)) {
          throw error;
        }
      }
    }
  }
  await sync.completeSnapshot(workspaceId, manifest.snapshotId);
}

/**
 * A downloaded snapshot, its sealed chunks spooled to a temporary file (ciphertext only: the
 * disk never sees the workspace's data in the clear), each checked as it arrived. Read back
 * synchronously chunk by chunk, so a load runs in one vault transaction with one chunk in
 * memory. close() removes the file.
 */
export interface SpooledSnapshot {
  info: SnapshotInfo;
  /** `checkClocks` false: for the bulk load, which checks each clock as it stores it. */
  entries(options?: { checkClocks?: boolean }): Iterable<readonly SnapshotEntry[]>;
  close(): void;
}

/**
 * `checkContent`: every line is read and checked on arrival too, for a consumer that applies
 * the snapshot in several transactions (the merge) and so must know it whole before it
 * starts. Without it only each chunk's tag and labels are checked on arrival, and the
 * consumer's one transaction (the bulk load) checks every line as it reads it: content found
 * bad then rolls the whole load back. Each chunk is inflated and parsed once.
 */
export async function downloadSnapshot(
  sync: SyncApiClient,
  workspaceId: string,
  info: SnapshotInfo,
  keyring: WorkspaceKeyring,
  options: { checkContent: boolean },
): Promise<SpooledSnapshot> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-snapshot-'));
  const file = join(dir, 'chunks');
  const fd = openSync(file, 'w+', 0o600);
  const close = (): void => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  };
  const spans: { offset: number; length: number }[] = [];
  try {
    // Checked on arrival: a chunk altered, moved or missing fails before any load starts.
    const check = new SnapshotChunkReader(info, keyring);
    const ahead = new ChunksAhead(info.chunkCount, (index) =>
      sync.snapshotChunk(workspaceId, info.snapshotId, index),
    );
    let offset = 0;
    for (let index = 0; index < info.chunkCount; index++) {
      const sealed = await ahead.take(index);
      if (sealed.length > SNAPSHOT_CHUNK_MAX_BYTES) throw invalid(`chunk ${index} is too large`);
      if (options.checkContent) check.read(index, sealed);
      else check.authenticate(index, sealed);
      writeSync(fd, sealed, 0, sealed.length, offset);
      spans.push({ offset, length: sealed.length });
      offset += sealed.length;
    }
    if (options.checkContent) check.finish();
    else check.finishAuthenticating();
  } catch (error) {
    close();
    throw error;
  }
  return {
    info,
    entries: (entryOptions = {}) =>
      snapshotEntries(
        info,
        keyring,
        (index) => {
          const span = spans[index]!;
          const sealed = Buffer.alloc(span.length);
          readSync(fd, sealed, 0, span.length, span.offset);
          return sealed;
        },
        entryOptions,
      ),
    close,
  };
}

/** Chunk requests in flight at once while downloading: each waits less on the one before. */
const CHUNKS_IN_FLIGHT = 3;

/**
 * Requests chunks a few ahead of the one being checked and written, so the round trips
 * overlap instead of adding up; taken strictly in order. A request that fails is reported
 * when its chunk is taken, and never as an unhandled rejection if the download stopped
 * before it.
 */
class ChunksAhead {
  readonly #count: number;
  readonly #request: (index: number) => Promise<Buffer>;
  readonly #requests = new Map<number, Promise<Buffer>>();
  #next = 0;

  constructor(count: number, request: (index: number) => Promise<Buffer>) {
    this.#count = count;
    this.#request = request;
  }

  take(index: number): Promise<Buffer> {
    while (this.#next < Math.min(this.#count, index + CHUNKS_IN_FLIGHT)) {
      const pending = this.#request(this.#next);
      // Observed here so that one left behind by a failed download is not unhandled; the
      // failure itself reaches whoever takes it.
      pending.catch(() => undefined);
      this.#requests.set(this.#next++, pending);
    }
    const pending = this.#requests.get(index);
    if (pending === undefined) {
      throw new CofferError('INTERNAL', `Snapshot chunk ${index} was taken twice or out of order.`);
    }
    this.#requests.delete(index);
    return pending;
  }
}
