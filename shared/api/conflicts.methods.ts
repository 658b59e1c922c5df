/**
 * Money fields two devices edited at once ("needs review", docs/sync-merge.md): both kept
 * values, and settling one by choosing a value, which syncs to every device.
 */
import * as z from 'zod';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

export interface ConflictValueView {
  value: unknown;
  /** UTC ms of the edit, from its hybrid logical clock; null when unknown. */
  editedAt: number | null;
  /** True when this device made the edit. */
  thisDevice: boolean;
}

export interface ConflictView {
  id: string;
  collection: string;
  recordId: string;
  field: string;
  /** What the record is, for the user to recognise it (a transaction's description). */
  label: string | null;
  /** The record's ISO 4217 code when the field is an amount in minor units. */
  currency: string | null;
  recordDeleted: boolean;
  /** The value the record shows now (the newest edit, the same on every device). */
  mine: ConflictValueView;
  /** The other value, kept until someone chooses. */
  theirs: ConflictValueView;
}

const ConflictIdSchema = z.string().trim().min(1).max(200);

export const CONFLICT_METHODS = {
  list: apiMethod<ConflictView[]>()(EmptyInputSchema),
  count: apiMethod<number>()(EmptyInputSchema),
  resolve: apiMethod<ConflictView>()(
    z.strictObject({
      id: ConflictIdSchema,
      keep: z.union([
        z.enum(['mine', 'theirs']),
        // A value typed in: an amount in minor units (the core checks it matches the field).
        z.strictObject({ value: z.number().int().safe() }),
      ]),
    }),
  ),
} as const;
