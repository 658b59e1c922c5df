import * as z from 'zod';
import {
  DEVICE_ID_PATTERN,
  DeviceIdSchema,
  HLC_PATTERN,
  HlcSchema,
} from '../../../shared/hlc/hlc.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { FIELD_NAME_PATTERN, FieldNameSchema } from '../../../shared/sync/change.js';

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

/** Any well-formed collection name, known to this version or not. */
const COLLECTION_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const RemoteChangeSchema = z
  .strictObject({
    id: z.string().regex(UUID_PATTERN, { error: 'Change id must be a lowercase UUID' }),
    collection: z.string().regex(COLLECTION_PATTERN, { error: 'Malformed collection name' }),
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
  if (isPlainlyWellFormed(value)) return { ok: true, change: value };
  const result = RemoteChangeSchema.safeParse(value);
  if (result.success) return { ok: true, change: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return {
    ok: false,
    message: `Invalid change: ${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`,
  };
}

const CHANGE_KEYS = 8;

/**
 * The schema's check for the common case, a change exactly as a device writes it, at a
 * tenth of its cost (it was the largest part of applying a change). It only ever says yes
 * when the schema would: anything unusual (another prototype, a missing or extra key, a
 * value of another type) answers no, and the schema then decides and words the refusal.
 * remote-change-shape.property.test.ts holds the two together.
 */
export function isPlainlyWellFormed(value: unknown): value is RemoteChange {
  if (!isPlainRecord(value)) return false;
  const c = value;
  if (Object.keys(c).length !== CHANGE_KEYS) return false;
  const { id, collection, recordId, op, fields, base, hlc, deviceId } = c;
  if (
    typeof id !== 'string' ||
    typeof collection !== 'string' ||
    typeof recordId !== 'string' ||
    (op !== 'upsert' && op !== 'delete') ||
    typeof hlc !== 'string' ||
    typeof deviceId !== 'string' ||
    !isPlainRecord(fields) ||
    !isPlainRecord(base)
  ) {
    return false;
  }
  if (recordId.length < 1 || recordId.length > 200) return false;
  if (!UUID_PATTERN.test(id) || !COLLECTION_PATTERN.test(collection)) return false;
  if (!DEVICE_ID_PATTERN.test(deviceId) || HLC_PATTERN.exec(hlc)?.[3] !== deviceId) return false;
  for (const name of Object.keys(fields)) if (!FIELD_NAME_PATTERN.test(name)) return false;
  for (const [name, replaced] of Object.entries(base)) {
    if (!FIELD_NAME_PATTERN.test(name)) return false;
    if (replaced === null) continue;
    if (typeof replaced !== 'string' || !HLC_PATTERN.test(replaced) || !(replaced < hlc)) {
      return false;
    }
  }
  return true;
}

/** An object literal or JSON.parse result: no array, no class instance, no symbol keys. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.getOwnPropertySymbols(value).length === 0;
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
