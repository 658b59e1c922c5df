/**
 * Settings: the document profile printed on invoices and quotes (synced, one per vault),
 * this device's preferences (locale, theme) and its app lock. Stored shapes describe what
 * the services return; patch shapes what a caller may send (strict: an unknown key is an
 * error, not ignored).
 */
import * as z from 'zod';
import { PaymentInstructionsSchema, RecordIdSchema } from './invoicing.schema.js';

// ---------------------------------------------------------------------------------------
// Document profile

/** Control characters break PDF text and tables; an address keeps its line breaks only. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;

const lineText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

const optionalLine = (max: number) =>
  lineText(max)
    .nullable()
    .transform((s) => (s === '' ? null : s));

export const PROFILE_ADDRESS_MAX = 1_000;

export const DocumentProfileSchema = z.object({
  /** The business or person the documents come from; empty until set. */
  name: lineText(200),
  /** Several lines, "\n" between them. */
  address: z
    .string()
    .max(PROFILE_ADDRESS_MAX, `must be at most ${PROFILE_ADDRESS_MAX} characters`)
    .transform((s) =>
      s
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((line) => line.trim())
        .join('\n')
        .trim(),
    )
    .refine((s) => !CONTROL_CHARS_BUT_NEWLINE.test(s), 'must not contain control characters')
    .nullable()
    .transform((s) => (s === '' ? null : s)),
  email: z.email('must be an email address').nullable(),
  phone: optionalLine(50),
  taxId: optionalLine(100),
  /** The logo's attachment (PNG or JPEG, at most LOGO_MAX_BYTES); set through the logo calls. */
  logoAttachmentId: RecordIdSchema.nullable(),
  /** Printed on invoices that carry no instructions of their own. */
  paymentInstructions: PaymentInstructionsSchema.nullable(),
  updatedAt: z.number().int().nonnegative(),
});
export type DocumentProfile = z.infer<typeof DocumentProfileSchema>;

/** Only the fields given change; null clears one. The logo has its own calls. */
export const DocumentProfilePatchSchema = DocumentProfileSchema.omit({
  logoAttachmentId: true,
  updatedAt: true,
})
  .partial()
  .strict();
export type DocumentProfilePatch = z.input<typeof DocumentProfilePatchSchema>;

export const LOGO_MAX_BYTES = 1024 * 1024;
export const LogoMimeTypeSchema = z.enum(['image/png', 'image/jpeg']);
export type LogoMimeType = z.infer<typeof LogoMimeTypeSchema>;

// ---------------------------------------------------------------------------------------
// Preferences (this device only)

/**
 * A BCP 47 language tag, stored in its canonical form ("EN-us" becomes "en-US"), as
 * `Intl.getCanonicalLocales` writes it: whatever it refuses is not a locale.
 */
export const LocaleSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical !== undefined) return canonical;
    } catch {
      // RangeError: not a well-formed tag
    }
    ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as "en-US"' });
    return z.NEVER;
  });

export const ThemeSchema = z.enum(['light', 'dark', 'system']);
export type Theme = z.infer<typeof ThemeSchema>;

export const PreferencesSchema = z.object({
  /** Null: follow the operating system's locale. */
  locale: z.string().nullable(),
  theme: ThemeSchema,
});
export type Preferences = z.infer<typeof PreferencesSchema>;

export const PreferencesPatchSchema = z.strictObject({
  locale: LocaleSchema.nullable().optional(),
  theme: ThemeSchema.optional(),
});
export type PreferencesPatch = z.input<typeof PreferencesPatchSchema>;

// ---------------------------------------------------------------------------------------
// App lock (this device only)

/** Characters (code points, after NFKC) a passcode needs at least. */
export const PASSCODE_MIN_LENGTH = 6;
/** Longer input is refused before hashing, so nobody makes Argon2 chew on megabytes. */
export const PASSCODE_MAX_LENGTH = 1_024;

export const IDLE_MINUTES_MIN = 1;
export const IDLE_MINUTES_MAX = 240;
export const IDLE_MINUTES_DEFAULT = 5;

export const IdleMinutesSchema = z
  .number()
  .int('must be a whole number of minutes')
  .min(IDLE_MINUTES_MIN, `must be between ${IDLE_MINUTES_MIN} and ${IDLE_MINUTES_MAX} minutes`)
  .max(IDLE_MINUTES_MAX, `must be between ${IDLE_MINUTES_MIN} and ${IDLE_MINUTES_MAX} minutes`);

export interface AppLockStatus {
  /** A passcode is set: the app starts locked and locks when idle. */
  enabled: boolean;
  locked: boolean;
  /** Minutes without activity before the app locks; null (off) when no passcode is set. */
  idleMinutes: number | null;
  /** Wrong passcodes since the last right one. */
  failedAttempts: number;
  /** UTC ms before which no passcode is checked, or null. */
  retryAfter: number | null;
  /**
   * The lock may also be released by the operating system's own check (Touch ID, Windows
   * Hello), asked for by the desktop app's main process; the passcode always works too.
   */
  osUnlock: boolean;
}
