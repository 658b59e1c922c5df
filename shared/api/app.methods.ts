/** The app's own lifecycle: which vault the window works on, and whether it is open. */
import * as z from 'zod';
import { apiMethod } from './api-method.js';
import { UploadIdSchema } from './upload.methods.js';

export const EmptyInputSchema = z.strictObject({});

/**
 * Why the vault under the window was crypto-shredded (this device's sync session revoked, or
 * its account removed from the workspace): kept by the core until the user has read it, so
 * a window that reloads or opens later still says why its books are gone.
 */
export interface VaultRemoval {
  code: string;
  message: string;
  /** When it happened (UTC ms). */
  at: number;
}

export interface AppStatus {
  /** `missing`: no vault in the folder yet (first run); `closed`: one exists, not open. */
  vault: 'missing' | 'closed' | 'open';
  /** The folder the vault lives in, for the user to recognise. */
  vaultDir: string;
  /** The app lock engaged: nothing but unlocking answers until it is released. */
  locked: boolean;
  /** Where the window runs: the desktop app, or a browser tab in web mode. */
  host: 'desktop' | 'web';
  /** Set from the moment the vault is shredded until `acknowledgeRemoval` (or a new vault). */
  removal: VaultRemoval | null;
}

export interface CreatedVaultResult {
  status: AppStatus;
  /**
   * The vault's Recovery Key, shown once so the user can save it; the only way back into
   * the vault if the keychain entry is lost. The core keeps no copy.
   */
  recoveryKey: string;
}

export interface RestoredBackupResult {
  status: AppStatus;
  /** When the backup was taken (UTC ms). */
  backedUpAt: number;
}

export const APP_METHODS = {
  status: apiMethod<AppStatus>()(EmptyInputSchema),
  createVault: apiMethod<CreatedVaultResult>()(EmptyInputSchema),
  openVault: apiMethod<AppStatus>()(EmptyInputSchema),
  closeVault: apiMethod<AppStatus>()(EmptyInputSchema),
  /** Unpacks an uploaded backup into the (empty) vault folder; then it opens as usual. */
  restoreBackup: apiMethod<RestoredBackupResult>()(z.strictObject({ uploadId: UploadIdSchema })),
  /**
   * Opens the vault with its Recovery Key when the keychain no longer holds its key (a new
   * computer, a reset keychain), and puts the key back in the keychain.
   */
  recoverVault: apiMethod<AppStatus>()(z.strictObject({ recoveryKey: z.string().min(1).max(200) })),
  /** The user has read why the vault was removed: the notice is not shown again. */
  acknowledgeRemoval: apiMethod<AppStatus>()(EmptyInputSchema),
} as const;
