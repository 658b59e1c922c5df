export type Fields = Record<string, unknown>;

/**
 * The change an edit makes: the fields whose values differ, plus `updatedAt`, so a change
 * names only what the user edited and concurrent edits of different fields merge instead
 * of conflicting. Null when nothing but `updatedAt` differs: such an edit writes nothing.
 * `updatedAt` is left out of the comparison because two edits within one millisecond
 * leave it equal.
 */
export function editedFields(before: Fields, after: Fields): Fields | null {
  const changed: Fields = {};
  for (const [key, value] of Object.entries(after)) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  if (Object.keys(changed).length === 0) return null;
  if ('updatedAt' in after) changed.updatedAt = after.updatedAt;
  return changed;
}
