import type { MfaGate, MfaMethod, MfaProof } from '../mfa/mfa-gate.js';
import type { AccountService } from './account.service.js';
import type { AuthenticatedSession, SessionService } from './session.service.js';

export type StepUpResult =
  | { kind: 'elevated'; elevatedUntil: number }
  /** Password accepted; the user has 2FA, so a second factor must come with it. */
  | { kind: 'second_factor_required'; methods: MfaMethod[] };

/**
 * Step-up: password, plus a second factor when the user has one, marks
 * the session elevated for STEP_UP_MS. The password is checked on every attempt, the
 * second factor by MfaGate.verifySecondFactor (TOTP, backup code, a step-up email code
 * sent by the mfa routes, or a WebAuthn assertion for the `step_up` ceremony).
 */
export class StepUpService {
  constructor(
    private readonly deps: {
      accounts: AccountService;
      sessions: SessionService;
      mfa: MfaGate | null;
    },
  ) {}

  async stepUp(
    auth: AuthenticatedSession,
    ip: string,
    password: string,
    proof: MfaProof | null,
  ): Promise<StepUpResult> {
    await this.deps.accounts.checkPassword(auth.userId, password, ip);
    const methods = this.deps.mfa === null ? [] : await this.deps.mfa.methodsFor(auth.userId);
    if (methods.length > 0 && this.deps.mfa !== null) {
      if (proof === null) return { kind: 'second_factor_required', methods };
      await this.deps.mfa.verifySecondFactor(auth.userId, proof);
    }
    return { kind: 'elevated', elevatedUntil: await this.deps.sessions.elevate(auth.sessionId) };
  }
}
