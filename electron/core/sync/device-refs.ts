import { CofferError } from '../../../shared/errors/coffer-error.js';
import { DEVICE_ID_PATTERN } from '../../../shared/hlc/hlc.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { tableExists } from '../vault/table-exists.js';
import type { DeviceRefLookup } from './field-clocks.js';

/**
 * This vault's small numbers for device ids (`sync_devices`, migration 012), so a record
 * clock names its device in 2 bytes instead of 36. Local only: never synced, never exported,
 * and each vault numbers devices in its own order; clocks decode to the full HLC.
 *
 * A ref is only ever created outside a transaction (autocommit): a ref made inside one
 * that later rolled back would be cached here, or written into a clock, and then point at
 * nothing. So `ensure` does nothing inside a transaction, and an HLC whose device has no ref
 * is written with its full device id, which always stays readable.
 */
export class DeviceRefs implements DeviceRefLookup {
  readonly #db: SqliteDatabase;
  readonly #refByDevice = new Map<string, number>();
  readonly #deviceByRef = new Map<number, string>();
  #q: Statements | null = null;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** Null on a vault older than migration 012, which has no table for refs. */
  #statements(): Statements | null {
    if (this.#q !== null) return this.#q;
    if (!tableExists(this.#db, 'sync_devices')) return null;
    this.#q = {
      insert: this.#db.prepare(
        'INSERT INTO sync_devices (device_id) VALUES (?) ON CONFLICT (device_id) DO NOTHING',
      ),
      byDevice: this.#db.prepare('SELECT ref FROM sync_devices WHERE device_id = ?').pluck(),
      byRef: this.#db.prepare('SELECT device_id FROM sync_devices WHERE ref = ?').pluck(),
    };
    return this.#q;
  }

  /**
   * Gives `deviceId` a ref unless it has one; returns it. Outside a transaction only:
   * inside one (or on a vault that cannot be written) it returns the existing ref, if any.
   */
  ensure(deviceId: string): number | undefined {
    const known = this.refOf(deviceId);
    if (known !== undefined || this.#db.inTransaction || !DEVICE_ID_PATTERN.test(deviceId)) {
      return known;
    }
    const q = this.#statements();
    if (q === null) return undefined;
    try {
      q.insert.run(deviceId);
    } catch {
      // A vault opened from read-only media: clocks then keep full device ids.
      return undefined;
    }
    return this.refOf(deviceId);
  }

  refOf(deviceId: string): number | undefined {
    const cached = this.#refByDevice.get(deviceId);
    if (cached !== undefined) return cached;
    const ref = this.#statements()?.byDevice.get(deviceId) as number | undefined;
    if (ref !== undefined) this.#remember(ref, deviceId);
    return ref;
  }

  deviceOf(ref: number): string {
    const cached = this.#deviceByRef.get(ref);
    if (cached !== undefined) return cached;
    const deviceId = Number.isSafeInteger(ref)
      ? (this.#statements()?.byRef.get(ref) as string | undefined)
      : undefined;
    if (deviceId === undefined) {
      throw new CofferError(
        'VAULT_CORRUPT',
        'A record clock names a device this vault does not know.',
      );
    }
    this.#remember(ref, deviceId);
    return deviceId;
  }

  #remember(ref: number, deviceId: string): void {
    this.#refByDevice.set(deviceId, ref);
    this.#deviceByRef.set(ref, deviceId);
  }
}

interface Statements {
  insert: ReturnType<SqliteDatabase['prepare']>;
  byDevice: ReturnType<SqliteDatabase['prepare']>;
  byRef: ReturnType<SqliteDatabase['prepare']>;
}

/** One DeviceRefs per connection, so every reader shares what the others cached. */
const byConnection = new WeakMap<SqliteDatabase, DeviceRefs>();

export function deviceRefs(db: SqliteDatabase): DeviceRefs {
  let refs = byConnection.get(db);
  if (refs === undefined) {
    refs = new DeviceRefs(db);
    byConnection.set(db, refs);
  }
  return refs;
}
