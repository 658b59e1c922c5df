import * as z from 'zod';

/**
 * A backup file is three text lines and then the content:
 *
 *   coffer-server-backup 1
 *   {"format":"coffer-server-backup","version":1,"storage":"sqlite",...}   (the header)
 *   sha256 <64 hex>                      SHA-256 of the header line's bytes and the content
 *   <content>                            the entries' bytes, one after the other
 *
 * The hash covers the header too, so no byte of the file can change unnoticed; a restore
 * checks it before it writes anything.
 */
export const BACKUP_FORMAT = 'coffer-server-backup';
export const BACKUP_VERSION = 1;
export const MAGIC_LINE = `${BACKUP_FORMAT} ${BACKUP_VERSION}`;
/** The three lines are far shorter; a longer start is not a backup of ours. */
export const MAX_PREAMBLE_BYTES = 64 * 1024;

/** Names of the entries a backup may hold, and only these: a restore writes nowhere else. */
export const DATABASE_ENTRY = 'database';
export const TLS_CERT_ENTRY = 'tls/server.crt';
export const TLS_KEY_ENTRY = 'tls/server.key';
export const ENTRY_NAMES = [DATABASE_ENTRY, TLS_CERT_ENTRY, TLS_KEY_ENTRY] as const;

const EntrySchema = z.strictObject({
  name: z.enum(ENTRY_NAMES),
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

/**
 * Lets a restore prove the master key file fits before it writes anything: the id of the
 * key the database's sealed values use, and one sealed value (already encrypted under
 * that key, as it is in the database) with the AAD it was sealed with.
 */
const KeyCheckSchema = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  sample: z.strictObject({ sealed: z.string().max(4096), aad: z.string().max(512) }).nullable(),
});

export const BackupHeaderSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  storage: z.enum(['sqlite', 'postgres']),
  serverVersion: z.string().max(64),
  createdAt: z.iso.datetime(),
  /** PostgreSQL: the schema the dump was taken from (a restore renames it to the target's). */
  schema: z.string().max(63).optional(),
  keyCheck: KeyCheckSchema,
  entries: z
    .array(EntrySchema)
    .max(ENTRY_NAMES.length)
    .refine((list) => new Set(list.map((e) => e.name)).size === list.length, {
      error: 'an entry is named twice',
    }),
});

export type BackupHeader = z.infer<typeof BackupHeaderSchema>;
export type BackupEntry = BackupHeader['entries'][number];
export type KeyCheck = BackupHeader['keyCheck'];
