import * as z from 'zod';
import { UUID_PATTERN } from '../ids/uuidv7.js';
import { CollectionSchema, type Collection } from './change.js';

/**
 * A change as it travels and as the server stores it: the labels the server needs in the
 * clear (id for idempotency, collection for role checks, keyVersion to tell which workspace
 * key opens it) and the rest of the change as AES-256-GCM ciphertext (tag appended), whose
 * associated data binds workspace, id, collection and key version, so no label can be
 * swapped (docs/sync-keys.md). nonce and ciphertext are base64url.
 */
export interface ChangeEnvelope {
  id: string;
  collection: Collection;
  keyVersion: number;
  nonce: string;
  ciphertext: string;
}

/** One change's ciphertext never exceeds a push batch (1 MB); base64url makes 4 of every 3 bytes. */
export const MAX_ENVELOPE_CIPHERTEXT_CHARS = Math.ceil((1_048_576 * 4) / 3);

export const ChangeEnvelopeSchema = z.strictObject({
  id: z.string().regex(UUID_PATTERN, { error: 'Change id must be a lowercase UUID' }),
  collection: CollectionSchema,
  keyVersion: z.number().int().min(1).max(0xffff_ffff),
  // 12 bytes of nonce are exactly 16 base64url characters.
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16}$/, { error: 'A nonce is 12 bytes of base64url' }),
  ciphertext: z
    .string()
    .min(22)
    .max(MAX_ENVELOPE_CIPHERTEXT_CHARS)
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'Ciphertext is base64url' }),
});
