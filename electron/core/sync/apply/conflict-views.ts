import type { ConflictValueView, ConflictView } from '../../../../shared/api/conflicts.methods.js';
import { parseHlc } from '../../../../shared/hlc/hlc.js';
import type { Collection } from '../../../../shared/sync/change.js';
import type { Vault } from '../../vault/vault.js';
import { loadCollectionMaps } from './collection-map.js';
import type { Conflict, KeptValue } from './conflict.service.js';
import { RecordWriter } from './record-writer.js';

/** The fields that name a record to a person, tried in order. */
const LABEL_FIELDS = ['name', 'number', 'title', 'notes'] as const;

/**
 * Conflicts as a window shows them: with what the record is, its currency when the field is
 * an amount in minor units, and for each value when it was written and whether here.
 */
export function conflictViews(vault: Vault, conflicts: readonly Conflict[]): ConflictView[] {
  const maps = loadCollectionMaps(vault.db);
  const writer = new RecordWriter(vault.db);
  return conflicts.map((conflict) => {
    const map = maps.get(conflict.collection);
    const read = (field: string): unknown =>
      map?.fields.has(field) === true ? writer.readField(map, conflict.recordId, field) : null;
    const label =
      conflict.collection === 'transactions'
        ? transactionLabel(vault, conflict.recordId)
        : LABEL_FIELDS.map(read).find(
            (value): value is string => typeof value === 'string' && value !== '',
          );
    const currency = conflict.field.endsWith('Minor') ? read('currency') : null;
    return {
      id: conflict.id,
      collection: conflict.collection satisfies Collection,
      recordId: conflict.recordId,
      field: conflict.field,
      label: label ?? null,
      currency: typeof currency === 'string' ? currency : null,
      recordDeleted: conflict.recordDeleted,
      mine: valueView(conflict.mine, vault.deviceId),
      theirs: valueView(conflict.theirs, vault.deviceId),
    };
  });
}

function valueView(kept: KeptValue, deviceId: string): ConflictValueView {
  let editedAt: number | null = null;
  try {
    editedAt = kept.hlc === '' ? null : parseHlc(kept.hlc).wallMs;
  } catch {
    // A clock this version cannot read: the value is still shown, without a time.
  }
  return { value: kept.value, editedAt, thisDevice: kept.deviceId === deviceId };
}

/** A transaction as the ledger names it: its payee (if any) and its date. */
function transactionLabel(vault: Vault, id: string): string | undefined {
  const row = vault.db
    .prepare(
      'SELECT t.date AS date, p.name AS payee FROM transactions t LEFT JOIN payees p ON p.id = t.payee_id WHERE t.id = ?',
    )
    .get(id) as { date: string; payee: string | null } | undefined;
  if (row === undefined) return undefined;
  return row.payee === null ? row.date : `${row.payee}, ${row.date}`;
}
