/**
 * What a change carries for each invoicing record: the domain object's fields (camelCase)
 * minus the id, which is the change's recordId. Lines and allocations travel inside their
 * parent's `lines` / `allocations` field: they are money-bearing and merge as one value.
 */
import type { Fields } from '../sync/edited-fields.js';

export type { Fields };

export function recordFields<T extends { id: string }>(record: T): Fields {
  const fields: Fields = { ...record };
  delete fields.id;
  return fields;
}
