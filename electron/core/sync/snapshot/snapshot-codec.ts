import { gunzipSync, gzipSync } from 'node:zlib';
import {
  SNAPSHOT_CHUNK_MAX_BYTES,
  SNAPSHOT_MAX_CHUNKS,
  type SnapshotManifest,
} from '../../../../shared/sync/snapshot.js';
import type { Vault } from '../../vault/vault.js';
import type { WorkspaceKey } from '../crypto/workspace-key.js';
import type { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { CHUNK_OVERHEAD_BYTES, openChunk, sealChunk, type ChunkLabel } from './snapshot-cipher.js';
import { utf8Text } from '../utf8-text.js';
import {
  emitSnapshotLines,
  invalid,
  parseSnapshotLine,
  RECORD_BLOCK_TEXT_MAX,
  type SnapshotEntry,
} from './snapshot-lines.js';

/** The most compressed bytes one chunk's plaintext holds. */
const CHUNK_PLAINTEXT_MAX = SNAPSHOT_CHUNK_MAX_BYTES - CHUNK_OVERHEAD_BYTES;
/**
 * The most one chunk may inflate to when read: a chunk holds whole lines gzipped, and a
 * writer aims at ~1 MB compressed; this bounds what a hostile or broken one costs.
 */
const CHUNK_INFLATED_MAX = 64 * 1024 * 1024;
/** A first guess at how much JSON lines shrink; each chunk then uses the last one's ratio. */
const FIRST_RATIO = 4;
/**
 * The most line text one chunk holds before compression: lines compress ~15:1, so a full
 * 1 MB chunk would inflate to ~15 MB and its parsed entries to several times that on the
 * reading device. 4 MiB keeps a reader's transient memory small; a workspace still fits
 * SNAPSHOT_MAX_CHUNKS many times over (16 GiB of text).
 */
const CHUNK_TEXT_MAX = 4 * 1024 * 1024;

/** The byte that ends every line. */
const NEWLINE = 0x0a;

/** Records (or other lines) parsed per batch a reader hands on (see SnapshotChunkReader.batches). */
const BATCH_RECORDS = 256;

export interface PackedSnapshot {
  manifest: SnapshotManifest;
  chunks: Buffer[];
}

/**
 * Serializes the vault's synced state (snapshot-lines.ts) into sealed chunks. Each chunk's
 * plaintext is one gzip member of whole lines, so a reader inflates one chunk at a time and
 * never holds more than one: memory when reading does not grow with the workspace. Written
 * in one synchronous pass, so the state is one moment's; the sealed chunks are held until
 * uploaded (their count is in every chunk's associated data and in the manifest sent first).
 */
export function packSnapshot(
  vault: Vault,
  key: WorkspaceKey,
  target: { snapshotId: string; seq: number },
  chunkPlaintextMax = CHUNK_PLAINTEXT_MAX,
): PackedSnapshot {
  const members: Buffer[] = [];
  let lines: string[] = [];
  let rawBytes = 0;
  let ratio = FIRST_RATIO;
  const flush = (): void => {
    if (lines.length === 0) return;
    for (const member of compressLines(lines, chunkPlaintextMax)) {
      members.push(member.bytes);
      ratio = Math.max(1, member.rawBytes / member.bytes.length);
    }
    lines = [];
    rawBytes = 0;
  };
  emitSnapshotLines(
    vault,
    (line) => {
      lines.push(line);
      rawBytes += Buffer.byteLength(line) + 1;
      // Aim a little under the bound: a group that compresses worse than the last is split.
      if (rawBytes >= Math.min(chunkPlaintextMax * ratio * 0.9, CHUNK_TEXT_MAX)) flush();
    },
    // A block of records fits a chunk whenever its records would, line by line.
    Math.min(RECORD_BLOCK_TEXT_MAX, Math.floor(chunkPlaintextMax / 2)),
  );
  flush();
  if (members.length > SNAPSHOT_MAX_CHUNKS) {
    throw invalid(`it would need ${members.length} chunks, more than ${SNAPSHOT_MAX_CHUNKS}`);
  }
  const label = {
    workspaceId: key.workspaceId,
    snapshotId: target.snapshotId,
    seq: target.seq,
    keyVersion: key.version,
    chunkCount: members.length,
  };
  const chunks = members.map((member, index) => sealChunk(member, key, { ...label, index }));
  return {
    manifest: {
      snapshotId: target.snapshotId,
      seq: target.seq,
      keyVersion: key.version,
      chunkCount: chunks.length,
      byteLength: chunks.reduce((sum, chunk) => sum + chunk.length, 0),
    },
    chunks,
  };
}

/** Gzips `lines`; a group whose member would not fit one chunk is split in two, recursively. */
function compressLines(
  lines: readonly string[],
  max: number,
): { bytes: Buffer; rawBytes: number }[] {
  const raw = Buffer.from(lines.join('\n') + '\n', 'utf8');
  const bytes = gzipSync(raw);
  if (bytes.length <= max) return [{ bytes, rawBytes: raw.length }];
  if (lines.length === 1) throw invalid('one record is larger than a chunk can hold');
  const half = Math.ceil(lines.length / 2);
  return [...compressLines(lines.slice(0, half), max), ...compressLines(lines.slice(half), max)];
}

/**
 * Opens a snapshot's chunks in order, one at a time, checking each against the snapshot it
 * claims to be part of (its associated data), and checks what they hold: a header first,
 * an end line last counting every line. SNAPSHOT_INVALID on any failure.
 */
export class SnapshotChunkReader {
  readonly #manifest: SnapshotManifest;
  readonly #key: WorkspaceKey;
  #next = 0;
  #lines = 0;
  #ended = false;
  readonly #checkClocks: boolean;

  /** `checkClocks`: see parseSnapshotLine; false only for a consumer that checks them itself. */
  constructor(
    manifest: SnapshotManifest,
    keyring: WorkspaceKeyring,
    options: { checkClocks?: boolean } = {},
  ) {
    this.#manifest = manifest;
    this.#key = keyring.get(manifest.keyVersion);
    this.#checkClocks = options.checkClocks ?? true;
  }

  /**
   * Checks only that `sealed` is chunk number `index` of this snapshot, unaltered (its tag
   * and labels), without reading what it holds: for a reader whose consumer checks every
   * line anyway and applies nothing unless all of them pass (the bulk load).
   */
  authenticate(index: number, sealed: Buffer): void {
    this.#open(index, sealed).fill(0);
    this.#next++;
  }

  /** Throws unless every chunk was authenticated. */
  finishAuthenticating(): void {
    if (this.#next !== this.#manifest.chunkCount) throw invalid('it was cut short');
  }

  #open(index: number, sealed: Buffer): Buffer {
    if (index !== this.#next || index >= this.#manifest.chunkCount) {
      throw invalid(`chunk ${index} came out of order`);
    }
    const label: ChunkLabel = {
      workspaceId: this.#key.workspaceId,
      snapshotId: this.#manifest.snapshotId,
      seq: this.#manifest.seq,
      keyVersion: this.#manifest.keyVersion,
      index,
      chunkCount: this.#manifest.chunkCount,
    };
    return openChunk(sealed, this.#key, label);
  }

  /** The entries of the next chunk; `sealed` must be chunk number `index`. */
  read(index: number, sealed: Buffer): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    for (const batch of this.batches(index, sealed)) for (const entry of batch) entries.push(entry);
    return entries;
  }

  /**
   * The entries of the next chunk a few hundred lines at a time, each batch parsed only
   * when the consumer asks for it: a consumer that is done with one batch before the next
   * (the bulk load) leaves its entries to die young, instead of holding a whole chunk's
   * thousands of objects until they are promoted and collected at far greater cost.
   */
  *batches(index: number, sealed: Buffer): Generator<SnapshotEntry[], void, undefined> {
    if (this.#ended) throw invalid('it goes on after its end line');
    const plain = this.#open(index, sealed);
    let inflated: Buffer;
    try {
      // Output room for a whole chunk as writers make them, so it is not gathered from
      // 16 KiB pieces and copied once more.
      inflated = gunzipSync(plain, {
        maxOutputLength: CHUNK_INFLATED_MAX,
        chunkSize: 2 * CHUNK_TEXT_MAX,
      });
    } catch {
      throw invalid(`chunk ${index} does not inflate`);
    } finally {
      plain.fill(0);
    }
    if (inflated.length === 0 || inflated[inflated.length - 1] !== NEWLINE) {
      throw invalid(`chunk ${index} ends inside a line`);
    }
    let batch: SnapshotEntry[] = [];
    // Counted in records: a block line holds a few hundred.
    let weight = 0;
    for (let start = 0; start < inflated.length;) {
      const end = inflated.indexOf(NEWLINE, start);
      // Each line decoded on its own (a newline byte is never part of a UTF-8 sequence):
      // JSON.parse reads a small flat string faster than a slice of the chunk's whole text,
      // and no string of the whole chunk is made (measured: about a third off decoding and
      // parsing).
      const line = utf8Text(inflated, start, end);
      start = end + 1;
      if (this.#ended) throw invalid('it goes on after its end line');
      const entry = parseSnapshotLine(line, this.#checkClocks);
      if ((entry.kind === 'header') !== (this.#lines === 0)) {
        throw invalid('its header is not its first line');
      }
      if (entry.kind === 'end') {
        if (entry.lines !== this.#lines) throw invalid('it is missing lines');
        this.#ended = true;
      } else {
        batch.push(entry);
        weight += entry.kind === 'records' ? entry.recordIds.length : 1;
      }
      this.#lines++;
      if (weight >= BATCH_RECORDS) {
        yield batch;
        batch = [];
        weight = 0;
      }
    }
    this.#next++;
    if (batch.length > 0) yield batch;
  }

  /** Throws unless every chunk was read and the end line came last. */
  finish(): void {
    if (this.#next !== this.#manifest.chunkCount || !this.#ended) {
      throw invalid('it was cut short');
    }
  }
}

/**
 * A snapshot's entries in batches, chunk by chunk, `readChunk` called for each index in turn as the
 * consumer asks for it: one chunk in memory at a time. Throws SNAPSHOT_INVALID at the first
 * chunk that fails, or at the end when the snapshot was cut short.
 */
export function* snapshotEntries(
  manifest: SnapshotManifest,
  keyring: WorkspaceKeyring,
  readChunk: (index: number) => Buffer,
  options: { checkClocks?: boolean } = {},
): Generator<SnapshotEntry[], void, undefined> {
  const reader = new SnapshotChunkReader(manifest, keyring, options);
  for (let index = 0; index < manifest.chunkCount; index++) {
    yield* reader.batches(index, readChunk(index));
  }
  reader.finish();
}
