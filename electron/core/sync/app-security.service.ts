import type { StepUpInput, StepUpOptions } from '../../../shared/api/security.methods.js';
import type { SecondFactorMethod } from '../../../shared/api/sync.methods.js';
import type { KeyStore } from '../vault/key-store.js';
import type { Vault } from '../vault/vault.js';
import { SyncAccountService, type LoginCodeMethod } from './sync-account.service.js';

export interface AppSecurityDeps {
  vault: Vault;
  keyStore: KeyStore;
  deviceName: string;
  now: () => number;
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

  revokeOtherSessions(): Promise<{ endedSessions: number }> {
    return this.account.revokeOtherSessions();
  }
}
