/**
 * Files a window hands to the core (a backup to restore, a statement to import, a receipt)
 * travel in chunks into a private temporary file, then a method names the upload by id.
 * No single message has to hold a whole file, and the core checks the size as it goes.
 */
import * as z from 'zod';
import { apiMethod } from './api-method.js';

/** Chunks are base64; 4 MiB of data each at most. */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** The biggest file a window may hand over (a large vault's backup fits). */
export const UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;

export const UploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be an upload id');

const FileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .refine((name) => !/[\\/\u0000-\u001f]/.test(name), 'must be a file name, not a path');

export const UPLOAD_METHODS = {
  begin: apiMethod<{ uploadId: string }>()(
    z.strictObject({
      fileName: FileNameSchema,
      size: z.number().int().min(0).max(UPLOAD_MAX_BYTES),
    }),
  ),
  append: apiMethod<{ received: number }>()(
    z.strictObject({
      uploadId: UploadIdSchema,
      /** Where this chunk starts: chunks arrive in order, each exactly once. */
      offset: z.number().int().min(0).max(UPLOAD_MAX_BYTES),
      data: z
        .string()
        .max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    }),
  ),
  discard: apiMethod<null>()(z.strictObject({ uploadId: UploadIdSchema })),
} as const;
