/** The document profile, this device's preferences, the app lock, and document PDFs. */
import * as z from 'zod';
import { RefSchema } from '../domain/ledger.schema.js';
import {
  DocumentProfilePatchSchema,
  IdleMinutesSchema,
  LocaleSchema,
  PASSCODE_MAX_LENGTH,
  PreferencesPatchSchema,
  type AppLockStatus,
  type DocumentProfile,
  type Preferences,
} from '../domain/settings.schema.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';
import type { FileDownload } from './file-payload.js';
import { UploadIdSchema } from './upload.methods.js';

/** Checked for length only here; the lock service applies the passcode rules. */
const PasscodeSchema = z.string().min(1).max(PASSCODE_MAX_LENGTH);

export const SETTINGS_METHODS = {
  getProfile: apiMethod<DocumentProfile>()(EmptyInputSchema),
  updateProfile: apiMethod<DocumentProfile>()(DocumentProfilePatchSchema),
  /** An uploaded PNG or JPEG (at most 1 MiB, judged by its bytes) becomes the logo. */
  setLogo: apiMethod<DocumentProfile>()(z.strictObject({ uploadId: UploadIdSchema })),
  removeLogo: apiMethod<DocumentProfile>()(EmptyInputSchema),
  logo: apiMethod<FileDownload | null>()(EmptyInputSchema),
  getPreferences: apiMethod<Preferences>()(EmptyInputSchema),
  updatePreferences: apiMethod<Preferences>()(PreferencesPatchSchema),
} as const;

export const LOCK_METHODS = {
  status: apiMethod<AppLockStatus>()(EmptyInputSchema),
  unlock: apiMethod<AppLockStatus>()(z.strictObject({ passcode: PasscodeSchema })),
  /** Locks now, as the window does when the user has been idle. */
  lockNow: apiMethod<AppLockStatus>()(EmptyInputSchema),
  /** The user is at the window (typing, pointing) even if nothing is being saved. */
  activity: apiMethod<null>()(EmptyInputSchema),
  setPasscode: apiMethod<AppLockStatus>()(
    z.strictObject({ passcode: PasscodeSchema, idleMinutes: IdleMinutesSchema.optional() }),
  ),
  changePasscode: apiMethod<AppLockStatus>()(
    z.strictObject({ current: PasscodeSchema, next: PasscodeSchema }),
  ),
  removePasscode: apiMethod<AppLockStatus>()(z.strictObject({ current: PasscodeSchema })),
  setIdleMinutes: apiMethod<AppLockStatus>()(z.strictObject({ idleMinutes: IdleMinutesSchema })),
  /**
   * Unlocking with Touch ID / Windows Hello: turning it on needs the passcode, turning it
   * off does not. There is deliberately no method that unlocks by the OS check: only the
   * desktop app's main process can report one, over the core's own channel.
   */
  setOsUnlock: apiMethod<AppLockStatus>()(
    z.discriminatedUnion('enabled', [
      z.strictObject({ enabled: z.literal(true), passcode: PasscodeSchema }),
      z.strictObject({ enabled: z.literal(false) }),
    ]),
  ),
  /** A forgotten passcode: the vault's Recovery Key turns the lock off. */
  resetWithRecoveryKey: apiMethod<AppLockStatus>()(
    z.strictObject({ recoveryKey: z.string().min(1).max(200) }),
  ),
} as const;

const PdfInput = z.strictObject({ ref: RefSchema, locale: LocaleSchema.optional() });

export const DOCUMENT_METHODS = {
  invoicePdf: apiMethod<FileDownload>()(PdfInput),
  quotePdf: apiMethod<FileDownload>()(PdfInput),
} as const;
