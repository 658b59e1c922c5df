/**
 * Signing a vault in to a sync server, and its sync's state. Of everything secret in a
 * sign-in only the Account Recovery Key made at sign-up reaches a window, to be shown once;
 * passwords and codes go in, and no session token, challenge token or key ever comes out.
 */
import * as z from 'zod';
import type { SyncStatus } from '../sync/sync-status.js';
import type { WorkspaceRole } from '../sync/workspace-roles.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';
import { AuthenticationResponseSchema, type PasskeyOptionsJSON } from './passkeys.methods.js';

/** `https://host[:port]`; the core checks the rest (no path, no credentials). */
const ServerUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine((text) => /^https:\/\//i.test(text), 'The server address starts with https://');

/** `sha256:<64 hex>` as the probe showed it; colons between pairs and case are forgiven. */
const FingerprintSchema = z
  .string()
  .trim()
  .max(200)
  .refine(
    (text) => /^sha256:([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i.test(text),
    'A certificate fingerprint is sha256: and 64 hex digits',
  );

const EmailSchema = z.string().trim().min(3).max(254).email();
/** Length only: the server applies its password rules. */
const PasswordSchema = z.string().min(1).max(1024);

export const SECOND_FACTOR_METHODS = ['totp', 'email', 'backup'] as const;
/**
 * The second factors a window can answer with a typed code. Approval of a new device from a
 * signed-in one is a further way through a sign-in still to be added (app-sync.service.ts).
 */
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];
/** What a sign-in's second step may be answered with: a typed code, or a passkey. */
export type SignInFactor = SecondFactorMethod | 'passkey';

export interface ServerProbeResult {
  url: string;
  /** `sha256:<64 hex>` of the certificate served, for the user to compare with the operator's. */
  fingerprint: string;
  caSigned: boolean;
  version: string;
}

export type SignInStep =
  | { step: 'second-factor'; methods: SignInFactor[] }
  | { step: 'unlock-keys' }
  | ({ step: 'awaiting-approval' } & ApprovalRequestView)
  | { step: 'done'; status: SyncAccountStatus };

/**
 * A new device's request to be approved by a signed-in one: the short code both devices
 * show (derived on each side, never taken from the server) and when the request lapses.
 */
export interface ApprovalRequestView {
  code: string;
  /** ISO instant, 15 minutes after the request. */
  expiresAt: string;
}

/** The sync of the open vault, with nothing secret in it. */
export type SyncAccountStatus =
  | {
      signedIn: false;
      /** The step a sign-in in progress waits at, so a window can take it up again. */
      signIn: 'second-factor' | 'unlock-keys' | 'awaiting-approval' | null;
      /** While `awaiting-approval`: the code to compare on the approving device. */
      approval?: ApprovalRequestView;
      /**
       * Why the last wait for approval ended without keys (denied, expired, a box that did
       * not open); the sign-in is back at `unlock-keys`.
       */
      approvalEnded?: { code: string; message: string };
    }
  | {
      signedIn: true;
      server: string;
      /** `sha256:<64 hex>`, or null for a CA-signed server. */
      fingerprint: string | null;
      email: string;
      workspace: { id: string; name: string | null; role: WorkspaceRole } | null;
      /** The background sync's state while it runs (signed in, with a workspace, unlocked). */
      loop: SyncStatus | null;
      lastSyncAt: number | null;
    };

const ServerTargetShape = { url: ServerUrlSchema, fingerprint: FingerprintSchema };

export const SYNC_METHODS = {
  /** The server's certificate fingerprint and version, before anything is sent to it. */
  probeServer: apiMethod<ServerProbeResult>()(z.strictObject({ url: ServerUrlSchema })),
  /** A new account with this vault as its first device; the Recovery Key is shown once. */
  signUp: apiMethod<{ recoveryKey: string }>()(
    z.strictObject({
      ...ServerTargetShape,
      email: EmailSchema,
      password: PasswordSchema,
      deviceName: z.string().trim().min(1).max(100).optional(),
    }),
  ),
  signInStart: apiMethod<SignInStep>()(
    z.strictObject({ ...ServerTargetShape, email: EmailSchema, password: PasswordSchema }),
  ),
  /** Asks the server to email a sign-in code (when the account has email as a factor). */
  signInSendEmailCode: apiMethod<{ sent: true }>()(EmptyInputSchema),
  signInSecondFactor: apiMethod<SignInStep>()(
    z.strictObject({
      method: z.enum(SECOND_FACTOR_METHODS),
      code: z.string().trim().min(6).max(64),
    }),
  ),
  /** Assertion options for answering the second step with a passkey (run in the window). */
  signInPasskeyOptions: apiMethod<{ options: PasskeyOptionsJSON }>()(EmptyInputSchema),
  /** The window's assertion for those options; a refused one keeps the step. */
  signInPasskeyVerify: apiMethod<SignInStep>()(
    z.strictObject({ response: AuthenticationResponseSchema }),
  ),
  signInWithRecoveryKey: apiMethod<SignInStep>()(
    z.strictObject({ recoveryKey: z.string().min(1).max(200) }),
  ),
  /**
   * Asks a signed-in device of the account to open the keys here. Answers at once with the
   * code to compare; the wait goes on in the core (15 minutes at most) and its end comes as
   * `sync.status`: signed in, or back at `unlock-keys` with `approvalEnded`.
   */
  signInWithApproval: apiMethod<SignInStep>()(EmptyInputSchema),
  /** Drops a sign-in in progress (a wait for approval too) and ends the session it may have opened. */
  signInCancel: apiMethod<SyncAccountStatus>()(EmptyInputSchema),
  status: apiMethod<SyncAccountStatus>()(EmptyInputSchema),
  /** A sync round now (or as soon as the backoff allows). */
  syncNow: apiMethod<SyncAccountStatus>()(EmptyInputSchema),
  signOut: apiMethod<{ serverSessionEnded: boolean; status: SyncAccountStatus }>()(
    EmptyInputSchema,
  ),
} as const;
