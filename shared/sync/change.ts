import * as z from 'zod';
import { CofferError } from '../errors/coffer-error.js';
import { DeviceIdSchema, HLC_PATTERN, HlcSchema } from '../hlc/hlc.js';
import { UUID_PATTERN } from '../ids/uuidv7.js';

export const COLLECTIONS = [
  'accounts',
  'categories',
  'payees',
  'transactions',
  'budgets',
  'clients',
  'quotes',
  'invoices',
  'payments',
  'recurring_schedules',
  'contracts',
  'receipts',
  'attachments',
  'settings',
  'transaction_reviews',
  'payee_rules',
  'import_profiles',
  'account_bank_ids',
] as const;

export const CollectionSchema = z.enum(COLLECTIONS);
export type Collection = z.infer<typeof CollectionSchema>;

export const ChangeOpSchema = z.enum(['upsert', 'delete']);
export type ChangeOp = z.infer<typeof ChangeOpSchema>;

/**
 * Field names are the domain objects' camelCase property names. Restricting them keeps
 * "__proto__" and friends out of objects built from synced data.
 */
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const FieldNameSchema = z.string().regex(FIELD_NAME_PATTERN, {
  error: 'Field name must start with a letter and hold at most 64 letters, digits or "_"',
});

/**
 * One local write, as recorded in the outbox and synced (docs/architecture.md, The vault). `base` maps
 * each written field to the HLC of the value it replaced (null when there was none), which
 * is how a merge tells an edit made on top of the current value from a concurrent one.
 */
export interface Change {
  id: string;
  collection: Collection;
  recordId: string;
  op: ChangeOp;
  fields: Record<string, unknown>;
  base: Record<string, string | null>;
  hlc: string;
  deviceId: string;
}

export const ChangeSchema = z
  .strictObject({
    id: z.string().regex(UUID_PATTERN, { error: 'Change id must be a lowercase UUID' }),
    collection: CollectionSchema,
    recordId: z.string().min(1).max(200),
    op: ChangeOpSchema,
    fields: z.record(FieldNameSchema, z.unknown()),
    base: z.record(FieldNameSchema, HlcSchema.nullable()),
    hlc: HlcSchema,
    deviceId: DeviceIdSchema,
  })
  .refine((change) => HLC_PATTERN.exec(change.hlc)?.[3] === change.deviceId, {
    error: 'The change hlc must carry the change deviceId',
    path: ['hlc'],
  });

/** Validates untrusted input as a Change; throws INVALID_INPUT listing the problems. */
export function parseChange(value: unknown): Change {
  const result = ChangeSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    throw new CofferError(
      'INVALID_INPUT',
      `Invalid change${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}`,
      { issues },
    );
  }
  return result.data;
}
