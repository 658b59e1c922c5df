import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { HlcClock } from '../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../shared/ids/uuidv7.js';
import { CollectionSchema, type Change, type Collection } from '../../../shared/sync/change.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { newestHlc, readClockHighWater, saveClockHighWater } from './clock-high-water.js';
import { assertFieldNames } from './field-clocks.js';
import { RecordClocks } from './record-clocks.js';

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
 * Turns every local write into a sync change (docs/architecture.md, The vault): stamps it with a new HLC,
 * remembers per field which HLC it replaced (`base`, what merge uses to tell a concurrent
 * edit from a sequential one), and appends it to the outbox. It must run inside the same
 * `vault.transaction` as the row write, so the row and its change commit or vanish together.
 */
export class ChangeRecorder {
  readonly #ctx: ChangeRecorderContext;
  readonly #clocks: RecordClocks;
  readonly #insertOutbox;
  readonly #selectPending;
  /** The newest HLC this recorder stamped, saved as the clock high-water mark on acknowledge. */
  #lastHlc: string | null = null;

  constructor(ctx: ChangeRecorderContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#clocks = new RecordClocks(db);
    this.#insertOutbox = db.prepare<
      [string, string, string, string, string, string, string, string, number]
    >(
      `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#selectPending = db.prepare<[number, number], OutboxRow>(
      'SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
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
    const names = Object.keys(fields);
    assertFieldNames(names);

    const hlc = clock.tick();
    const base = this.#clocks.stamp(collection, recordId, names, hlc);
    const values = withNullForUndefined(fields, names);
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
      encodeBase(base),
      hlc,
      deviceId,
      createdAt,
    );
    this.#lastHlc = hlc;
    return change;
  }

  /** The oldest `limit` changes not yet acknowledged, optionally after a given outbox seq. */
  pending(limit = 100, afterSeq = 0): OutboxEntry[] {
    return this.#selectPending.all(afterSeq, Math.max(0, Math.floor(limit))).map(toEntry);
  }

  pendingCount(): number {
    return Number(this.#ctx.db.prepare('SELECT count(*) FROM outbox').pluck().get());
  }

  /**
   * Removes changes the server has accepted; returns how many were removed. The clock
   * high-water mark is saved in the same transaction: once a change leaves the outbox,
   * meta is what remembers its HLC across a restart (clock-high-water.ts).
   */
  acknowledge(changeIds: readonly string[]): number {
    const { db } = this.#ctx;
    const remove = db.prepare<[string]>('DELETE FROM outbox WHERE id = ?');
    let removed = 0;
    db.transaction(() => {
      const highWater = newestHlc(readClockHighWater(db), this.#lastHlc);
      if (highWater !== null) saveClockHighWater(db, highWater);
      for (const id of changeIds) removed += remove.run(id).changes;
    }).immediate();
    return removed;
  }

  /** The HLC currently held by each field of a record (what a later change's `base` will name). */
  fieldClocks(collection: Collection, recordId: string): Record<string, string> {
    return this.#clocks.read(collection, recordId);
  }
}

/** JSON has no undefined: a cleared field travels as null. Copies only when it must. */
function withNullForUndefined(
  fields: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  if (!names.some((name) => fields[name] === undefined)) return { ...fields };
  const values: Record<string, unknown> = {};
  for (const name of names) values[name] = fields[name] === undefined ? null : fields[name];
  return values;
}

/** Only the fields that replaced a clocked value; the rest are null on reading (toEntry). */
function encodeBase(base: Record<string, string | null>): string {
  let replaced: Record<string, string> | undefined;
  for (const [field, hlc] of Object.entries(base)) {
    if (hlc !== null) (replaced ??= {})[field] = hlc;
  }
  return replaced === undefined ? '{}' : JSON.stringify(replaced);
}

function toEntry(row: OutboxRow): OutboxEntry {
  const fields = JSON.parse(row.fields_json) as Record<string, unknown>;
  return {
    seq: row.seq,
    createdAt: row.created_at,
    change: {
      id: row.id,
      collection: row.collection as Collection,
      recordId: row.record_id,
      op: row.op as Change['op'],
      fields,
      base: decodeBase(fields, row.base_json),
      hlc: row.hlc,
      deviceId: row.device_id,
    },
  };
}

/** Every written field has a base; those base_json leaves out replaced nothing. */
function decodeBase(
  fields: Record<string, unknown>,
  baseJson: string,
): Record<string, string | null> {
  const replaced = JSON.parse(baseJson) as Record<string, string>;
  const base: Record<string, string | null> = {};
  for (const field of Object.keys(fields)) {
    base[field] = Object.hasOwn(replaced, field) ? (replaced[field] ?? null) : null;
  }
  return base;
}
