import type { SqliteDatabase } from '../../vault/sqlcipher.js';

/** One push the server acknowledged: what the device needs to know if that server is restored. */
export interface PushAck {
  epoch: string;
  firstSeq: number;
  lastSeq: number;
  /** The id of the change the server gave the batch's last seq: found in a restored log, it proves the batch survived. */
  lastChangeId: string;
  /** The oldest and newest HLC the batch carried (a first upload's batches are not in HLC order). */
  minHlc: string;
  maxHlc: string;
  ackedAt: number;
}

/** Beyond this many entries the oldest half is thinned (thin()). */
export const MAX_PUSH_ACKS = 256;

/**
 * The acknowledgement log (vault migration 011, docs/sync-merge.md "Re-push after a server
 * restore"). The outbox forgets an acknowledged change; this keeps, per acknowledged push,
 * the server's epoch, the seq range, the id of its last change and its HLC range. When the
 * epoch changes, the device pulls the restored log from the start, marks each entry whose
 * last change is still there (a restore keeps a prefix of the log, and a batch commits
 * whole), and re-pushes every own field stamped at or after the oldest HLC of an entry that
 * is not.
 */
export class PushAckLog {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** Call inside the transaction that removes the acknowledged changes from the outbox. */
  record(ack: PushAck): void {
    this.#db
      .prepare(
        `INSERT INTO sync_push_acks (epoch, first_seq, last_seq, last_change_id, min_hlc, max_hlc, acked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        ack.epoch,
        ack.firstSeq,
        ack.lastSeq,
        ack.lastChangeId,
        ack.minHlc,
        ack.maxHlc,
        ack.ackedAt,
      );
    this.thin();
  }

  /**
   * Keeps the log at most MAX_PUSH_ACKS entries: every second entry of the oldest half is
   * folded into the entry before it (the range grows, the HLC range widens, and the proof of
   * survival becomes the later entry's last change). Folding never loses a lost change, it
   * only makes a re-push after a restore into the distant past send more: older history gets
   * coarser, recent history stays exact.
   */
  thin(): void {
    const count = Number(this.#db.prepare('SELECT count(*) FROM sync_push_acks').pluck().get());
    if (count <= MAX_PUSH_ACKS) return;
    const oldest = this.#db
      .prepare<[number], AckRow>('SELECT * FROM sync_push_acks ORDER BY id LIMIT ?')
      .all(Math.floor(count / 2));
    const update = this.#db.prepare<[number, string, string, string, number]>(
      `UPDATE sync_push_acks SET last_seq = ?, last_change_id = ?, min_hlc = ?, max_hlc = ? WHERE id = ?`,
    );
    const remove = this.#db.prepare<[number]>('DELETE FROM sync_push_acks WHERE id = ?');
    for (let i = 0; i + 1 < oldest.length; i += 2) {
      const kept = oldest[i]!;
      const folded = oldest[i + 1]!;
      // Entries of different epochs are never folded together: each epoch's log is its own.
      if (kept.epoch !== folded.epoch) continue;
      update.run(
        Math.max(kept.last_seq, folded.last_seq),
        folded.last_change_id,
        kept.min_hlc < folded.min_hlc ? kept.min_hlc : folded.min_hlc,
        kept.max_hlc > folded.max_hlc ? kept.max_hlc : folded.max_hlc,
        kept.id,
      );
      remove.run(folded.id);
    }
  }

  /** Marks entries of earlier epochs whose last change is among `changeIds` (pulled from the current log). */
  markSurvivors(currentEpoch: string, changeIds: readonly string[]): void {
    if (changeIds.length === 0) return;
    const proofs = this.#db
      .prepare<[string], { id: number; last_change_id: string }>(
        'SELECT id, last_change_id FROM sync_push_acks WHERE epoch <> ? AND survived = 0',
      )
      .all(currentEpoch);
    if (proofs.length === 0) return;
    const pulled = new Set(changeIds);
    const mark = this.#db.prepare<[number]>('UPDATE sync_push_acks SET survived = 1 WHERE id = ?');
    for (const proof of proofs) if (pulled.has(proof.last_change_id)) mark.run(proof.id);
  }

  /** Whether entries of an earlier epoch wait to be settled (the server was restored). */
  hasStale(currentEpoch: string): boolean {
    return (
      this.#db
        .prepare<[string]>('SELECT 1 FROM sync_push_acks WHERE epoch <> ? LIMIT 1')
        .get(currentEpoch) !== undefined
    );
  }

  /**
   * The oldest HLC of a push acknowledged under an earlier epoch that the current log does
   * not hold; null when the restored server lost none of this device's pushes.
   */
  lostFrom(currentEpoch: string): string | null {
    const value = this.#db
      .prepare<[string], string | null>(
        'SELECT min(min_hlc) FROM sync_push_acks WHERE epoch <> ? AND survived = 0',
      )
      .pluck()
      .get(currentEpoch);
    return value ?? null;
  }

  /** Forgets the earlier epochs' entries, once what they lost is queued for re-push. */
  dropStale(currentEpoch: string): void {
    this.#db.prepare<[string]>('DELETE FROM sync_push_acks WHERE epoch <> ?').run(currentEpoch);
  }

  all(): PushAck[] {
    return this.#db
      .prepare<[], AckRow>('SELECT * FROM sync_push_acks ORDER BY id')
      .all()
      .map((row) => ({
        epoch: row.epoch,
        firstSeq: row.first_seq,
        lastSeq: row.last_seq,
        lastChangeId: row.last_change_id,
        minHlc: row.min_hlc,
        maxHlc: row.max_hlc,
        ackedAt: row.acked_at,
      }));
  }
}

interface AckRow {
  id: number;
  epoch: string;
  first_seq: number;
  last_seq: number;
  last_change_id: string;
  min_hlc: string;
  max_hlc: string;
  acked_at: number;
  survived: number;
}
