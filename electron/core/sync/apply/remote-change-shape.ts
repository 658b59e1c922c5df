import { z } from 'zod';
import { DeviceIdSchema, HLC_PATTERN, HlcSchema } from '../../../../shared/hlc/hlc.js';
import { UUID_PATTERN } from '../../../../shared/ids/uuidv7.js';
import { FieldNameSchema } from '../../../../shared/sync/change.js';

/**
 * A change as it arrives, before this version decides whether it knows its collection: the
 * contract's shape (shared/sync/change.ts) with the collection any well-formed name, so a
 * change from a newer Coffer is kept instead of being refused.
 */
export interface RemoteChange {
  id: string;
  collection: string;
  recordId: string;
  op: 'upsert' | 'delete';
  fields: Record<string, unknown>;
  base: Record<string, string | null>;
  hlc: string;
  deviceId: string;
}

const RemoteChangeSchema = z
  .strictObject({
    id: z.string().regex(UUID_PATTERN, { error: 'Change id must be a lowercase UUID' }),
    collection: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { error: 'Malformed collection name' }),
    recordId: z.string().min(1).max(200),
    op: z.enum(['upsert', 'delete']),
    fields: z.record(FieldNameSchema, z.unknown()),
    base: z.record(FieldNameSchema, HlcSchema.nullable()),
    hlc: HlcSchema,
    deviceId: DeviceIdSchema,
  })
  .refine((change) => HLC_PATTERN.exec(change.hlc)?.[3] === change.deviceId, {
    error: 'The change hlc must carry the change deviceId',
    path: ['hlc'],
  })
  .refine((change) => Object.values(change.base).every((b) => b === null || b < change.hlc), {
    error: 'A change must be newer than every value it replaced',
    path: ['base'],
  });

export type ShapeResult = { ok: true; change: RemoteChange } | { ok: false; message: string };

export function checkRemoteChange(value: unknown): ShapeResult {
  const result = RemoteChangeSchema.safeParse(value);
  if (result.success) return { ok: true, change: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return {
    ok: false,
    message: `Invalid change: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`,
  };
}

/** The id to name in a refusal, when the object has one that looks like an id. */
export function claimedId(value: unknown): string {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 64) : '';
}

/** `resolvedConflicts`: field → HLCs of the kept values the change settles, each older than it. */
export function parseSettles(value: unknown, hlc: string): Map<string, string[]> | null {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const settles = new Map<string, string[]>();
  for (const [field, hlcs] of Object.entries(value as Record<string, unknown>)) {
    if (!FieldNameSchema.safeParse(field).success || !Array.isArray(hlcs)) return null;
    for (const h of hlcs)
      if (typeof h !== 'string' || !HLC_PATTERN.test(h) || h >= hlc) return null;
    settles.set(field, hlcs as string[]);
  }
  return settles;
}
