import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { parseHlc } from '../../../../shared/hlc/hlc.js';
import type { Collection } from '../../../../shared/sync/change.js';
import type { Vault } from '../../vault/vault.js';
import { RecordClocks } from '../record-clocks.js';
import { loadCollectionMaps, type CollectionMap } from './collection-map.js';
import { MergeStateRepository, type ConflictRow } from './merge-state.repository.js';
import { SETTLES_FIELD } from './money-fields.js';
import { RecordWriter } from './record-writer.js';

/** One value of a conflicted field: what it is, when and where it was written. */
export interface KeptValue {
  value: unknown;
  hlc: string;
  deviceId: string;
}

/**
 * A money-bearing field two devices edited concurrently. `mine` is the value the record holds
 * on this device now (the newest by HLC, the same on every device); `theirs` is the other
 * value, kept until someone chooses.
 */
export interface Conflict {
  id: string;
  collection: Collection;
  recordId: string;
  field: string;
  recordDeleted: boolean;
  mine: KeptValue;
  theirs: KeptValue;
}

export type ConflictChoice = 'mine' | 'theirs' | { value: unknown };

/**
 * The "Needs review" list (docs/architecture.md, Merge). Resolving writes the chosen value as a
 * new local change that also names the kept value it settles, so every device that applies it
 * drops the same conflict.
 */
export class ConflictService {
  readonly #vault: Vault;
  readonly #state: MergeStateRepository;
  readonly #clocks: RecordClocks;
  readonly #writer: RecordWriter;
  readonly #maps: Map<Collection, CollectionMap>;

  constructor(vault: Vault) {
    this.#vault = vault;
    this.#state = new MergeStateRepository(vault.db);
    this.#clocks = new RecordClocks(vault.db);
    this.#writer = new RecordWriter(vault.db);
    this.#maps = loadCollectionMaps(vault.db);
  }

  list(): Conflict[] {
    return this.#state.conflicts().map((row) => this.#view(row));
  }

  /** Record ids that need review in a collection (every device computes the same set). */
  flagged(collection: Collection): string[] {
    return [
      ...new Set(
        this.list()
          .filter((c) => c.collection === collection)
          .map((c) => c.recordId),
      ),
    ];
  }

  resolve(conflictId: string, choice: ConflictChoice): Conflict {
    return this.#vault.transaction(() => {
      const row = this.#state.conflict(conflictId);
      if (row === undefined) {
        throw new CofferError('NOT_FOUND', `No conflict ${conflictId.slice(0, 64)}`, {
          conflictId: conflictId.slice(0, 64),
        });
      }
      const conflict = this.#view(row);
      const map = this.#map(conflict.collection);
      const value =
        choice === 'mine'
          ? conflict.mine.value
          : choice === 'theirs'
            ? conflict.theirs.value
            : choice.value;
      if (typeof choice === 'object') assertSameKind(conflict.field, conflict.mine.value, value);
      const now = this.#vault.now();
      const fields: Record<string, unknown> = { [conflict.field]: value };
      if (map.fields.has('updatedAt')) fields.updatedAt = now;
      this.#writer.write(map, conflict.recordId, fields);
      this.#vault.changes.record(conflict.collection, conflict.recordId, 'upsert', {
        ...fields,
        [SETTLES_FIELD]: { [conflict.field]: [conflict.theirs.hlc] },
      });
      this.#state.settle(
        conflict.collection,
        conflict.recordId,
        conflict.field,
        conflict.theirs.hlc,
      );
      return conflict;
    });
  }

  #view(row: ConflictRow): Conflict {
    const collection = row.collection as Collection;
    const map = this.#map(collection);
    const hlc = this.#clocks.read(collection, row.record_id)[row.field] ?? '';
    return {
      id: row.id,
      collection,
      recordId: row.record_id,
      field: row.field,
      recordDeleted: this.#writer.readField(map, row.record_id, 'deletedAt') !== null,
      mine: {
        value: this.#writer.readField(map, row.record_id, row.field),
        hlc,
        deviceId: hlc === '' ? '' : parseHlc(hlc).deviceId,
      },
      theirs: {
        value: JSON.parse(row.value_json) as unknown,
        hlc: row.hlc,
        deviceId: row.device_id,
      },
    };
  }

  #map(collection: Collection): CollectionMap {
    const map = this.#maps.get(collection);
    if (map === undefined) throw new CofferError('INTERNAL', `No map for ${collection}`);
    return map;
  }
}

/** A typed-in value must be the same kind as the field's (a number for an amount, a list for lines). */
function assertSameKind(field: string, current: unknown, value: unknown): void {
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
  if (value === null || current === null || kind(current) === kind(value)) return;
  throw new CofferError(
    'INVALID_INPUT',
    `The value for ${field} must be a ${kind(current)}, like the values it replaces`,
    { field },
  );
}
