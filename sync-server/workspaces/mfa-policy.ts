import type { FastifyInstance } from 'fastify';

import { forbidden } from '../http/errors.js';
import type { MfaMethod } from '../mfa/mfa-gate.js';
import type { Storage } from '../storage/storage.js';
import type { WorkspacePolicy } from '../storage/workspace.repository.js';

/**
 * Routes a member of a workspace that requires 2FA may still call without a second
 * factor: what it takes to enrol one (step-up first, then TOTP, a passkey or email codes),
 * to see their factors, and to sign out. Everything else answers 403 MFA_REQUIRED.
 */
export const MFA_ENROLMENT_ROUTES: ReadonlySet<string> = new Set([
  'POST /v1/auth/logout',
  'POST /v1/auth/step-up',
  'GET /v1/me/mfa',
  'POST /v1/me/mfa/totp',
  'POST /v1/me/mfa/totp/confirm',
  'POST /v1/me/mfa/email',
  'POST /v1/me/webauthn/register/options',
  'POST /v1/me/webauthn/register/verify',
]);

/**
 * The factors that count under a policy: backup codes stand in for a factor but are not
 * one, and email codes do not count where a workspace forbids them.
 */
export function usableFactors(methods: readonly MfaMethod[], policy: WorkspacePolicy): MfaMethod[] {
  return methods.filter(
    (method) => method !== 'backup_code' && !(policy.forbidEmailOtp && method === 'email'),
  );
}

/**
 * True when, under `policy`, the user could no longer sign in or act: 2FA required and no
 * usable factor, or email codes forbidden while email is the only factor they have (login
 * asks for a factor they may not give). An admin cannot set a policy that does this to
 * themselves.
 */
export function locksOut(methods: readonly MfaMethod[], policy: WorkspacePolicy): boolean {
  const usable = usableFactors(methods, policy);
  if (policy.requireMfa && usable.length === 0) return true;
  return policy.forbidEmailOtp && methods.includes('email') && usable.length === 0;
}

export interface MfaPolicyDeps {
  storage: Storage;
  methodsFor(userId: string): Promise<MfaMethod[]>;
}

/**
 * Workspace policy "require 2FA", enforced for every signed-in request in one hook: a
 * member of such a workspace without a usable second factor gets 403 MFA_REQUIRED on
 * every route but enrolment (MFA_ENROLMENT_ROUTES). Runs before validation and before the
 * workspace check. Install on the root instance before any route plugin.
 */
export function installMfaPolicy(app: FastifyInstance, deps: MfaPolicyDeps): void {
  app.addHook('preValidation', async (request) => {
    if (request.auth === undefined) return;
    if (MFA_ENROLMENT_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`)) return;
    const policy = await deps.storage.workspaces.policyForUser(request.auth.userId);
    if (!policy.requireMfa) return;
    const methods = await deps.methodsFor(request.auth.userId);
    if (usableFactors(methods, policy).length > 0) return;
    throw forbidden(
      'MFA_REQUIRED',
      'A workspace you belong to requires two-factor authentication: set up TOTP or a passkey first.',
    );
  });
}
