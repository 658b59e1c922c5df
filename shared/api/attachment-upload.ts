/**
 * Files a window hands the core (a receipt photo, a contract PDF) and gets back, as plain
 * JSON: the bytes travel as base64 text. The declared media type is only a claim: the core
 * reads the file's first bytes and refuses one that is not what it says.
 */
import * as z from 'zod';
import type { AttachmentSummary } from '../domain/invoicing.views.js';

/** What a receipt or contract file may be: images a browser shows safely, and PDF. SVG is not (it can carry script). */
export const ATTACHMENT_UPLOAD_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;
export type AttachmentUploadType = (typeof ATTACHMENT_UPLOAD_TYPES)[number];

/** Largest file a window may attach; base64 makes the message a third bigger. */
export const MAX_ATTACHMENT_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Length of the base64 text for `bytes` bytes (padded). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const AttachmentUploadSchema = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .refine((name) => !/[/\\\0]/.test(name), 'must be a file name, not a path'),
  mimeType: z.enum(ATTACHMENT_UPLOAD_TYPES, {
    error: 'must be a PNG, JPEG, GIF or WebP image, or a PDF',
  }),
  contentBase64: z
    .string()
    .min(1, 'the file is empty')
    .max(
      base64Length(MAX_ATTACHMENT_UPLOAD_BYTES),
      `the file must be at most ${MAX_ATTACHMENT_UPLOAD_BYTES / (1024 * 1024)} MiB`,
    )
    // One character class and a length check: a grouped pattern overflows the regex
    // engine's stack on a multi-megabyte string.
    .refine((text) => text.length % 4 === 0 && BASE64.test(text), 'must be base64'),
});
export type AttachmentUpload = z.infer<typeof AttachmentUploadSchema>;

/** A stored file read back: what it is, and its bytes as base64. */
export interface AttachmentDownload {
  attachment: AttachmentSummary;
  contentBase64: string;
}
