import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { HlcClock } from '../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../shared/ids/uuidv7.js';
import { CollectionSchema, type Change, type Collection } from '../../../shared/sync/change.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';

export interface ChangeRecorderContext {
  db: SqliteDatabase;
  clock: HlcClock;
  deviceId: string;
  now(): number;
}

/** A change waiting in the outbox, in the order it was written. */
export interface OutboxEntry {
  seq: number;
  createdAt: number;
  change: Change;
}

interface OutboxRow {
  seq: number;
  id: string;
  collection: string;
  record_id: string;
  op: string;
  fields_json: string;
  base_json: string;
  hlc: string;
  device_id: string;
  created_at: number;
}

/**
 * Turns every local write into a sync change (ARCHITECTURE §4): stamps it with a new HLC,
 * remembers per field which HLC it replaced (`base`, what merge uses to tell a concurrent
 * edit from a sequential one), and appends it to the outbox. It must run inside the same
 * `vault.transaction` as the row write, so the row and its change commit or vanish together.
 */
export class ChangeRecorder {
  readonly #ctx: ChangeRecorderContext;
  readonly #getClock;
  readonly #putClock;
  readonly #insertOutbox;
  readonly #saveHighWater;

  constructor(ctx: ChangeRecorderContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#getClock = db
      .prepare<[string, string, string], string>(
        'SELECT hlc FROM record_clocks WHERE collection = ? AND record_id = ? AND field = ?',
      )
      .pluck();
    this.#putClock = db.prepare<[string, string, string, string]>(
      `INSERT INTO record_clocks (collection, record_id, field, hlc) VALUES (?, ?, ?, ?)
       ON CONFLICT (collection, record_id, field) DO UPDATE SET hlc = excluded.hlc`,
    );
    this.#insertOutbox = db.prepare<
      [string, string, string, string, string, string, string, string, number]
    >(
      `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#saveHighWater = db.prepare<[string]>(
      `INSERT INTO meta (key, value) VALUES ('clock_high_water', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
  }

  record(
    collection: Collection,
    recordId: string,
    op: 'upsert' | 'delete',
    fields: Record<string, unknown>,
  ): Change {
    const { db, clock, deviceId } = this.#ctx;
    if (!db.inTransaction) {
      throw new CofferError(
        'INTERNAL',
        'ChangeRecorder.record() must run inside vault.transaction() with the write it records.',
      );
    }
    if (!CollectionSchema.safeParse(collection).success) {
      throw new CofferError('INTERNAL', `Unknown sync collection "${String(collection)}".`);
    }
    if (op !== 'upsert' && op !== 'delete') {
      throw new CofferError('INTERNAL', `Unknown change op "${String(op)}".`);
    }
    if (typeof recordId !== 'string' || recordId.length === 0) {
      throw new CofferError('INTERNAL', 'A change needs a record id.');
    }

    const hlc = clock.tick();
    const base: Record<string, string | null> = {};
    const values: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(fields)) {
      base[field] = this.#getClock.get(collection, recordId, field) ?? null;
      // JSON has no undefined: a cleared field travels as null.
      values[field] = value === undefined ? null : value;
      this.#putClock.run(collection, recordId, field, hlc);
    }
    const createdAt = this.#ctx.now();
    const change: Change = {
      id: uuidv7(createdAt),
      collection,
      recordId,
      op,
      fields: values,
      base,
      hlc,
      deviceId,
    };
    this.#insertOutbox.run(
      change.id,
      collection,
      recordId,
      op,
      JSON.stringify(values),
      JSON.stringify(base),
      hlc,
      deviceId,
      createdAt,
    );
    this.#saveHighWater.run(hlc);
    return change;
  }

  /** The oldest `limit` changes not yet acknowledged, optionally after a given outbox seq. */
  pending(limit = 100, afterSeq = 0): OutboxEntry[] {
    const rows = this.#ctx.db
      .prepare<[number, number], OutboxRow>(
        'SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, Math.max(0, Math.floor(limit)));
    return rows.map(toEntry);
  }

  pendingCount(): number {
    return Number(this.#ctx.db.prepare('SELECT count(*) FROM outbox').pluck().get());
  }

  /** Removes changes the server has accepted; returns how many were removed. */
  acknowledge(changeIds: readonly string[]): number {
    const remove = this.#ctx.db.prepare<[string]>('DELETE FROM outbox WHERE id = ?');
    let removed = 0;
    this.#ctx.db
      .transaction(() => {
        for (const id of changeIds) removed += remove.run(id).changes;
      })
      .immediate();
    return removed;
  }

  /** The HLC currently held by each field of a record (what a later change's `base` will name). */
  fieldClocks(collection: Collection, recordId: string): Record<string, string> {
    const rows = this.#ctx.db
      .prepare<[string, string], { field: string; hlc: string }>(
        'SELECT field, hlc FROM record_clocks WHERE collection = ? AND record_id = ?',
      )
      .all(collection, recordId);
    return Object.fromEntries(rows.map((row) => [row.field, row.hlc]));
  }
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    seq: row.seq,
    createdAt: row.created_at,
    change: {
      id: row.id,
      collection: row.collection as Collection,
      recordId: row.record_id,
      op: row.op as Change['op'],
      fields: JSON.parse(row.fields_json) as Record<string, unknown>,
      base: JSON.parse(row.base_json) as Record<string, string | null>,
      hlc: row.hlc,
      deviceId: row.device_id,
    },
  };
}
