/**
 * The core as one window sees it: a vault folder, the key store its key lives in, and
 * the vault once opened. Every `window.coffer` call goes through one AppSession, so the
 * desktop app's utility process and web mode's server behave the same.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  AppStatus,
  CreatedVaultResult,
  RestoredBackupResult,
  VaultRemoval,
} from '../../../shared/api/app.methods.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { ApiEvent } from '../../../shared/api/api-envelope.js';
import { createCoreServices, type CoreServices } from '../core-services.js';
import type { InvoiceNumberSource } from '../invoicing/invoice-issuer.js';
import { AppSecurityService } from '../sync/app-security.service.js';
import { AppSyncService } from '../sync/app-sync.service.js';
import { invoiceNumberSourceFor } from '../sync/server-invoice-numbers.js';
import type { KeyStore } from '../vault/key-store.js';
import { VAULT_MANIFEST_FILE } from '../vault/vault-files.js';
import { recoverVault } from '../vault/recover.service.js';
import { restoreBackup } from '../vault/restore.service.js';
import { createVault, openVault, type Vault } from '../vault/vault.js';
import { CallGate } from './call-gate.js';
import { UploadStore } from './upload-store.js';

export interface AppSessionOptions {
  vaultDir: string;
  keyStore: KeyStore;
  host: AppStatus['host'];
  now?: () => number;
}

interface OpenVault {
  vault: Vault;
  services: CoreServices;
  sync: AppSyncService;
  security: AppSecurityService;
}

export class AppSession {
  readonly vaultDir: string;
  private readonly keyStore: KeyStore;
  private readonly host: AppStatus['host'];
  private readonly now: () => number;
  private open: OpenVault | null = null;
  /**
   * Why the last vault was shredded, until the user has read it: held here, not in the
   * window, so a window that reloads (or opens) meanwhile still says why its books are gone.
   */
  private removal: VaultRemoval | null = null;
  /** Files handed over by the window, waiting for the method that uses them. */
  readonly uploads: UploadStore;
  /** Holds other calls back while an import has the vault's transaction open. */
  readonly calls = new CallGate();

  constructor(options: AppSessionOptions) {
    this.vaultDir = path.resolve(options.vaultDir);
    this.keyStore = options.keyStore;
    this.host = options.host;
    this.now = options.now ?? Date.now;
    this.uploads = new UploadStore(this.now);
  }

  status(): AppStatus {
    return {
      vault: this.open !== null ? 'open' : this.vaultExists() ? 'closed' : 'missing',
      vaultDir: this.vaultDir,
      locked: this.isLocked(),
      host: this.host,
      removal: this.removal,
    };
  }

  /** The user has read why the vault was removed. */
  acknowledgeRemoval(): AppStatus {
    this.removal = null;
    return this.status();
  }

  /** The app lock of the open vault: engaged when a passcode is set and not yet given. */
  isLocked(): boolean {
    return this.open?.services.appLock.isLocked() ?? false;
  }

  /** The user did something: the idle timer starts again. */
  noteActivity(): void {
    if (this.open !== null && !this.isLocked()) this.open.services.appLock.noteActivity(this.now());
  }

  /**
   * Main is about to show the OS's own check (Touch ID, Windows Hello): charged against
   * the lock's attempt limit first. Reached only from main's control channel to the
   * utility process, never from a window's port.
   */
  beginOsUnlock(): void {
    this.services().appLock.beginOsUnlock();
  }

  /** The OS check's outcome, from main: releases the lock only when verified. */
  finishOsUnlock(verified: boolean): void {
    this.services().appLock.finishOsUnlock(verified);
    this.noteActivity();
  }

  /**
   * Locks the app when it has been idle for the chosen time, checking every `everyMs`;
   * `onLocked` tells the windows. Returns a function that stops watching.
   */
  watchIdle(onLocked: () => void, everyMs = 15_000): () => void {
    const timer = setInterval(() => {
      if (this.open !== null && this.open.services.appLock.lockIfIdle(this.now())) {
        // Not awaited: the loop lets a round in flight finish, the windows lock now.
        void this.stopSync();
        onLocked();
      }
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async createVault(): Promise<CreatedVaultResult> {
    if (this.open !== null) throw new CofferError('VAULT_EXISTS', 'A vault is already open');
    const created = await createVault({
      dir: this.vaultDir,
      keyStore: this.keyStore,
      now: this.now,
    });
    const { recoveryKey } = created;
    this.open = this.opened(created);
    this.removal = null;
    return { status: this.status(), recoveryKey };
  }

  async openVault(): Promise<AppStatus> {
    if (this.open === null) {
      const vault = await openVault({ dir: this.vaultDir, keyStore: this.keyStore, now: this.now });
      this.open = this.opened(vault);
      this.removal = null;
    }
    return this.status();
  }

  /** Unpacks an uploaded backup into the vault folder, which must hold no vault yet. */
  restoreBackup(uploadId: string): RestoredBackupResult {
    const upload = this.uploads.take(uploadId);
    try {
      if (this.open !== null || this.vaultExists()) {
        throw new CofferError(
          'VAULT_EXISTS',
          'There is already a vault in this folder: a backup is restored into an empty one',
        );
      }
      const { backedUpAt } = restoreBackup(upload.file, this.vaultDir);
      return { status: this.status(), backedUpAt };
    } finally {
      upload.remove();
    }
  }

  /** Opens the vault with its Recovery Key and stores its key in the key store again. */
  async recoverVault(recoveryKey: string): Promise<AppStatus> {
    if (this.open !== null) return this.status();
    await recoverVault({ dir: this.vaultDir, keyStore: this.keyStore, recoveryKey });
    return this.openVault();
  }

  /** Closes the vault and forgets every upload: the window is going away. */
  close(): void {
    this.closeVault();
    this.uploads.close();
  }

  /** Closes at once; `stopSync` first lets a sync round in flight finish. */
  closeVault(): AppStatus {
    this.open?.sync.halt();
    this.open?.vault.close();
    this.open = null;
    return this.status();
  }

  /** The services of the open vault; VAULT_CLOSED when none is open. */
  services(): CoreServices {
    if (this.open === null) {
      throw new CofferError('VAULT_CLOSED', 'No vault is open: create or open one first');
    }
    return this.open.services;
  }

  /** The open vault's sync account and loop; VAULT_CLOSED when none is open. */
  sync(): AppSyncService {
    if (this.open === null) {
      throw new CofferError('VAULT_CLOSED', 'No vault is open: create or open one first');
    }
    return this.open.sync;
  }

  /** The open vault's sync account security (step-up, factors, sessions); VAULT_CLOSED when none. */
  security(): AppSecurityService {
    if (this.open === null) {
      throw new CofferError('VAULT_CLOSED', 'No vault is open: create or open one first');
    }
    return this.open.security;
  }

  /**
   * Starts the open vault's sync loop if it is signed in with a workspace and the app is
   * unlocked (after opening, unlocking, signing in); its status goes out through `emit`.
   */
  resumeSync(emit: (event: ApiEvent) => void): void {
    this.open?.sync.resume(emit);
  }

  /** Stops the sync loop (the app locked, the vault closing), letting a round finish. */
  async stopSync(): Promise<void> {
    await this.open?.sync.stop();
  }

  private opened(vault: Vault): OpenVault {
    const services = createCoreServices(vault);
    const sync = new AppSyncService({
      vault,
      keyStore: this.keyStore,
      deviceName: this.deviceName(),
      now: this.now,
      isLocked: () => services.appLock.isLocked(),
      // Shredded (closed and deleted) under the session: the window goes back to first run,
      // and says why until the user has read it.
      onShredded: (error) => {
        if (this.open?.vault === vault) this.open = null;
        this.removal = { code: error.code, message: error.message, at: this.now() };
      },
    });
    return {
      vault,
      services,
      security: new AppSecurityService({
        vault,
        keyStore: this.keyStore,
        deviceName: this.deviceName(),
        now: this.now,
        onShredded: (error) => sync.vaultShredded(error),
      }),
      sync,
    };
  }

  private deviceName(): string {
    return `Coffer (${this.host})`;
  }

  /** Where the open vault's invoice numbers come from: the sync server once it is synced. */
  invoiceNumbers(): InvoiceNumberSource | null {
    return invoiceNumberSourceFor({
      vault: this.services().vault,
      keyStore: this.keyStore,
      deviceName: this.deviceName(),
    });
  }

  private vaultExists(): boolean {
    return fs.existsSync(path.join(this.vaultDir, VAULT_MANIFEST_FILE));
  }
}
