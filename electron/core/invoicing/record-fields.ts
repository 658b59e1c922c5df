/**
 * What a change carries for each invoicing record: the domain object's fields (camelCase)
 * minus the id, which is the change's recordId. Lines and allocations travel inside their
 * parent's `lines` / `allocations` field: they are money-bearing and merge as one value.
 */
export type Fields = Record<string, unknown>;

export function recordFields<T extends { id: string }>(record: T): Fields {
  const fields: Fields = { ...record };
  delete fields.id;
  return fields;
}

/**
 * The fields whose values differ, so an update's change names only what was edited:
 * concurrent edits of different fields then merge instead of conflicting.
 */
export function changedFields(before: Fields, after: Fields): Fields {
  const changed: Fields = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  return changed;
}

/**
 * The change an edit makes: the fields that differ, plus `updatedAt`; null when nothing but
 * the timestamp would change (then nothing is written). Comparing without `updatedAt`
 * matters: two edits within one millisecond leave it equal.
 */
export function editedFields(before: Fields, after: Fields): Fields | null {
  const changed = changedFields({ ...before, updatedAt: null }, { ...after, updatedAt: null });
  if (Object.keys(changed).length === 0) return null;
  return { ...changed, updatedAt: after.updatedAt };
}
