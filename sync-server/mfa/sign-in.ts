import type { SessionService } from '../accounts/session.service.js';
import type { ServerDeps } from '../deps.js';
import { userEmailAddress } from '../mail/user-address.js';
import type { ChallengeContext, MfaMethod } from './mfa-gate.js';
import type { MfaServices } from './mfa-services.js';

export interface SignedIn {
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

/** Issues the session after a completed second factor (or a passwordless passkey). */
export async function completeSignIn(
  deps: Pick<ServerDeps, 'storage' | 'clock' | 'secrets' | 'logger'>,
  sessions: SessionService,
  mfa: MfaServices,
  userId: string,
  context: ChallengeContext,
  method: MfaMethod | 'passkey',
): Promise<SignedIn> {
  const issued = await sessions.issue(userId, context);
  const email = (await userEmailAddress(deps.storage.users, deps.secrets, userId)) ?? '';
  try {
    await mfa.notifier.newSignIn(userId, { ...context, at: deps.clock.now(), method });
  } catch (error) {
    // The sign-in happened; a mail relay hiccup must not undo it.
    deps.logger.warn(
      { err: error instanceof Error ? error.name : 'unknown' },
      'new sign-in notice not sent',
    );
  }
  return { token: issued.token, sessionId: issued.sessionId, user: { id: userId, email } };
}

/** Sends a factor-change notice; failures are logged, never thrown. */
export async function notifyFactorChange(
  deps: Pick<ServerDeps, 'logger'>,
  mfa: MfaServices,
  userId: string,
  what: string,
): Promise<void> {
  try {
    await mfa.notifier.factorChanged(userId, what);
  } catch (error) {
    deps.logger.warn(
      { err: error instanceof Error ? error.name : 'unknown' },
      'factor change notice not sent',
    );
  }
}

/**
 * After a factor is removed: with no factor left, backup codes go too (they stand in for a
 * factor and must not come back to life when a new one is added later).
 */
export async function dropOrphanBackupCodes(mfa: MfaServices, userId: string): Promise<void> {
  if ((await mfa.gate.methodsFor(userId)).length === 0) await mfa.backupCodes.remove(userId);
}

/** Backup codes for a user who just got a first factor and has none; else undefined. */
export async function backupCodesIfMissing(
  mfa: MfaServices,
  userId: string,
): Promise<string[] | undefined> {
  if ((await mfa.backupCodes.remaining(userId)) > 0) return undefined;
  return mfa.backupCodes.regenerate(userId);
}
