import QRCode from 'qrcode';

import type {
  AccountSession,
  BackupCodes,
  ChangePasswordInput,
  SecondFactorsOverview,
  SignInEntry,
  StepUpInput,
  StepUpOptions,
  StepUpWithPasskeyInput,
  TotpSetup,
} from '../../../shared/api/security.methods.js';
import type { PasskeyOptionsJSON } from '../../../shared/api/passkeys.methods.js';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { SecondFactorMethod } from '../../../shared/api/sync.methods.js';
import type { KeyStore } from '../vault/key-store.js';
import type { Vault } from '../vault/vault.js';
import { passkeyOptions } from './app-sync.service.js';
import { SyncAccountService, type LoginCodeMethod } from './sync-account.service.js';
import { totpLabel } from './totp-setup-check.js';

export interface AppSecurityDeps {
  vault: Vault;
  keyStore: KeyStore;
  deviceName: string;
  now: () => number;
  /** A call here met a revoked session and shredded the vault (sync-account.service.ts). */
  onShredded?: (error: CofferError) => void;
}

const CODE_METHODS: Record<SecondFactorMethod, LoginCodeMethod> = {
  totp: 'totp',
  email: 'email',
  backup: 'backup_code',
};
const FROM_SERVER_METHOD: Readonly<Record<string, SecondFactorMethod>> = {
  totp: 'totp',
  email: 'email',
  backup_code: 'backup',
};

/**
 * The account security a window manages for the vault's sync account. Unlike the CLI,
 * which sends the password with every sensitive command, the app steps the session up
 * once (`stepUp`) when the server asks, and its sensitive calls send no password: a call
 * the server refuses for want of a step-up fails with STEP_UP_REQUIRED for the window to
 * ask and retry.
 */
export class AppSecurityService {
  private readonly account: SyncAccountService;

  constructor(deps: AppSecurityDeps) {
    this.account = new SyncAccountService(deps);
  }

  async stepUpOptions(): Promise<StepUpOptions> {
    const { methods } = await this.account.secondFactors();
    return {
      methods: methods.flatMap((method) => {
        const known = FROM_SERVER_METHOD[method];
        return known === undefined ? [] : [known];
      }),
      passkey: methods.includes('webauthn'),
    };
  }

  async sendStepUpEmailCode(): Promise<{ sent: true }> {
    await this.account.sendStepUpEmailCode();
    return { sent: true };
  }

  async stepUp(input: StepUpInput): Promise<{ elevated: true }> {
    await this.account.stepUpSession(
      input.password,
      input.method === undefined || input.code === undefined
        ? undefined
        : { method: CODE_METHODS[input.method], code: input.code },
    );
    return { elevated: true };
  }

  /** The challenge is bound to this account by the server; the session token stays here. */
  async stepUpPasskeyOptions(): Promise<{ options: PasskeyOptionsJSON }> {
    // The server would hand out options with no key allowed; say plainly there is none.
    if (!(await this.account.secondFactors()).methods.includes('webauthn')) {
      throw new CofferError('INVALID_STATE', 'This account has no passkey to confirm with.');
    }
    return { options: passkeyOptions(await this.account.stepUpPasskeyOptions()) };
  }

  async stepUpWithPasskey(input: StepUpWithPasskeyInput): Promise<{ elevated: true }> {
    await this.account.stepUpSessionWithPasskey(input.password, input.response);
    return { elevated: true };
  }

  revokeOtherSessions(): Promise<{ endedSessions: number }> {
    return this.account.revokeOtherSessions();
  }

  async secondFactors(): Promise<SecondFactorsOverview> {
    const factors = await this.account.secondFactors();
    return {
      totp: factors.totp,
      emailCodes: factors.email,
      backupCodesRemaining: factors.backupCodesRemaining,
      passkeys: factors.passkeys.length,
    };
  }

  changePassword(input: ChangePasswordInput): Promise<{ endedSessions: number }> {
    return this.account.changePassword(input);
  }

  /**
   * The QR code is drawn here from the otpauth URI, once that URI is checked to carry the
   * very key shown beside it: the window gets a picture Coffer made, never markup or an
   * address the server chose.
   */
  async beginTotp(): Promise<TotpSetup> {
    const { secret, otpauthUri } = await this.account.beginTotp();
    const label = totpLabel(otpauthUri, secret);
    const qrCode = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2 });
    return { secret, qrCode, label };
  }

  async confirmTotp(code: string): Promise<BackupCodes> {
    return { backupCodes: await this.account.confirmTotp(code) };
  }

  async removeTotp(): Promise<{ removed: true }> {
    await this.account.removeTotp();
    return { removed: true };
  }

  setEmailCodes(enabled: boolean): Promise<{ enabled: boolean; backupCodes?: string[] }> {
    return this.account.setEmailCodes(enabled);
  }

  async regenerateBackupCodes(): Promise<BackupCodes> {
    return { backupCodes: await this.account.regenerateBackupCodes() };
  }

  async sessions(): Promise<AccountSession[]> {
    return (await this.account.sessions()).map((session) => ({
      id: session.id,
      deviceName: session.deviceName,
      platform: session.platform ?? null,
      ip: session.ip,
      createdAt: Date.parse(session.createdAt),
      lastSeenAt: Date.parse(session.lastSeenAt),
      current: session.current,
    }));
  }

  /** Another session of the account; an id the account does not have is NOT_FOUND. */
  async revokeSession(sessionId: string): Promise<{ revoked: true }> {
    try {
      await this.account.revokeSession(sessionId);
    } catch (error) {
      if (
        isCofferError(error) &&
        error.code === 'SERVER_REFUSED' &&
        error.details?.status === 404
      ) {
        throw new CofferError('NOT_FOUND', 'This account has no such session.', error.details);
      }
      throw error;
    }
    return { revoked: true };
  }

  async signIns(cursor?: string): Promise<{ signIns: SignInEntry[]; nextCursor: string | null }> {
    const page = await this.account.signIns(cursor);
    return {
      signIns: page.signIns.map((entry) => ({ ...entry, at: Date.parse(entry.at) })),
      nextCursor: page.nextCursor,
    };
  }
}
