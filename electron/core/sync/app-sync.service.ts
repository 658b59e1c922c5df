import type { ApiEvent } from '../../../shared/api/api-envelope.js';
import type { PasskeyOptionsJSON, PasskeyView } from '../../../shared/api/passkeys.methods.js';
import type {
  ApprovalRequestView,
  SecondFactorMethod,
  SignInFactor,
  SignInStep,
  SyncAccountStatus,
} from '../../../shared/api/sync.methods.js';
import type { WebauthnJson } from './client/account-api.client.js';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { KeyStore } from '../vault/key-store.js';
import type { Vault } from '../vault/vault.js';
import { formatFingerprint, parseFingerprint } from './client/pinned-agent.js';
import type { SyncLoop } from './engine/sync-loop.js';
import { createVaultSyncLoop, type VaultSyncLoopOptions } from './engine/vault-sync-loop.js';
import type { PendingApprovalView } from './device-approvals.js';
import {
  PENDING_SIGN_IN_TTL_MS,
  PendingSignInSlot,
  type PendingSignIn,
} from './pending-sign-in.js';
import { parseInvite } from '../../../shared/sync/invite-link.js';
import { AppWorkspaceService } from './app-workspace.service.js';
import { SyncAccountRepository, workspaceSummary } from './sync-account.repository.js';
import {
  SyncAccountService,
  type LoginCodeMethod,
  type ServerTarget,
} from './sync-account.service.js';

export interface AppSyncDeps {
  vault: Vault;
  keyStore: KeyStore;
  /** Shown in the account's session list unless sign-up names the device. */
  deviceName: string;
  now: () => number;
  /** The app lock: no loop runs while it is engaged. */
  isLocked: () => boolean;
  /**
   * The core crypto-shredded the vault (its session revoked, or its account removed from the
   * workspace): the vault is closed and gone, and whoever holds it must let go of it.
   */
  onShredded?: (error: CofferError) => void;
  loop?: VaultSyncLoopOptions;
}

/** A sign-in waiting for a signed-in device's approval; it holds the session meanwhile. */
interface ApprovalWait {
  pending: Extract<PendingSignIn, { step: 'unlock-keys' }>;
  cancel: AbortController;
  view: ApprovalRequestView | null;
}

export interface ServerTargetInput {
  url: string;
  fingerprint: string;
}

const CODE_METHODS: Record<SecondFactorMethod, LoginCodeMethod> = {
  totp: 'totp',
  email: 'email',
  backup: 'backup_code',
};
const FROM_SERVER_METHOD: Record<string, SignInFactor> = {
  totp: 'totp',
  email: 'email',
  backup_code: 'backup',
  webauthn: 'passkey',
};

/**
 * The sync of the vault a window has open: the sign-in a window takes one step at a time,
 * the background loop, and what the window is told of them. The account work itself is
 * SyncAccountService's, the same the CLI drives.
 *
 * A sign-in is: `signInStart` (email, password), `signInSecondFactor` when the account has
 * one, then the user key is opened: by the Account Recovery Key (`signInWithRecoveryKey`).
 * Approval by a signed-in device (SyncAccountService.unlockKeys with `approval`) and
 * passkeys as a second factor come in beside those two steps, on the same pending sign-in.
 *
 * The loop runs while the vault is signed in, has a workspace and the app is unlocked; its
 * status goes to the windows as `sync.status` events through the `emit` it was resumed with.
 */
export class AppSyncService {
  private readonly account: SyncAccountService;
  private readonly repo: SyncAccountRepository;
  private readonly pending: PendingSignInSlot;
  private loop: { loop: SyncLoop; unsubscribe: () => void } | null = null;
  private emit: ((event: ApiEvent) => void) | null = null;
  private busy = false;
  /** The workspace's members, invites, policy, sessions and audit log. */
  readonly team: AppWorkspaceService;
  private approval: ApprovalWait | null = null;
  /** Why the last wait for approval ended without keys; shown until the next step. */
  private approvalEnded: { code: string; message: string } | null = null;
  /** The vault was crypto-shredded and the windows told: it happens once. */
  private removed = false;

  constructor(private readonly deps: AppSyncDeps) {
    this.account = this.accountService(deps.deviceName);
    this.repo = new SyncAccountRepository(deps.vault.db);
    this.team = new AppWorkspaceService(this.account, this.repo);
    this.pending = new PendingSignInSlot(deps.now, (abandoned) => {
      // Best effort, and never awaited by a window: the server ends an unused session itself.
      if (abandoned.step === 'unlock-keys') {
        void this.account.abandonLogin(abandoned.target, abandoned.grant);
      }
    });
  }

  async signUp(
    input: ServerTargetInput & { email: string; password: string; deviceName?: string },
    emit: (event: ApiEvent) => void,
  ): Promise<{ recoveryKey: string }> {
    return this.oneAtATime(async () => {
      this.pending.abandon();
      this.cancelApproval();
      const service =
        input.deviceName === undefined ? this.account : this.accountService(input.deviceName);
      const { recoveryKey } = await service.register(target(input), {
        email: input.email,
        password: input.password,
      });
      this.changed(emit);
      return { recoveryKey };
    });
  }

  async signInStart(
    input: ServerTargetInput & { email: string; password: string },
  ): Promise<SignInStep> {
    return this.oneAtATime(async () => {
      // A new start replaces any sign-in in progress, and the session it may hold.
      this.pending.abandon();
      this.cancelApproval();
      this.approvalEnded = null;
      const server = target(input);
      const started = await this.account.startLogin(server, input.email, input.password);
      const expiresAt = this.deps.now() + PENDING_SIGN_IN_TTL_MS;
      if (started.step === 'second-factor') {
        this.pending.set({
          step: 'second-factor',
          target: server,
          challengeToken: started.challengeToken,
          methods: started.methods,
          expiresAt,
        });
        return { step: 'second-factor', methods: answerable(started.methods) };
      }
      this.pending.set({ step: 'unlock-keys', target: server, grant: started.grant, expiresAt });
      return { step: 'unlock-keys' };
    });
  }

  async signInSendEmailCode(): Promise<{ sent: true }> {
    const pending = this.pending.take('second-factor');
    if (!pending.methods.includes('email')) {
      throw new CofferError('INVALID_INPUT', 'This account does not take codes by email.');
    }
    await this.serverEnded(() =>
      this.account.sendLoginEmailCode(pending.target, pending.challengeToken),
    );
    return { sent: true };
  }

  /** A wrong code keeps the step: the server's refusal is answered and the user tries again. */
  async signInSecondFactor(method: SecondFactorMethod, code: string): Promise<SignInStep> {
    return this.oneAtATime(async () => {
      const pending = this.pending.take('second-factor');
      const grant = await this.serverEnded(() =>
        this.account.answerLoginChallenge(
          pending.target,
          pending.challengeToken,
          CODE_METHODS[method],
          code,
        ),
      );
      // The challenge is used up: the session takes its place, on the sign-in's own clock.
      this.pending.set({
        step: 'unlock-keys',
        target: pending.target,
        grant,
        expiresAt: pending.expiresAt,
      });
      return { step: 'unlock-keys' };
    });
  }

  /**
   * Options for the window's passkey ceremony. The challenge token stays here; the options
   * carry only the server's one-time WebAuthn challenge and the account's credential ids.
   */
  async signInPasskeyOptions(): Promise<{ options: PasskeyOptionsJSON }> {
    const pending = this.pending.take('second-factor');
    if (!pending.methods.includes('webauthn')) {
      throw new CofferError('INVALID_INPUT', 'This account has no passkey to sign in with.');
    }
    const options = await this.serverEnded(() =>
      this.account.loginPasskeyOptions(pending.target, pending.challengeToken),
    );
    return { options: passkeyOptions(options) };
  }

  /** A refused assertion (PASSKEY_REJECTED) keeps the step, like a wrong code. */
  async signInPasskeyVerify(response: WebauthnJson): Promise<SignInStep> {
    return this.oneAtATime(async () => {
      const pending = this.pending.take('second-factor');
      const grant = await this.serverEnded(() =>
        this.account.answerLoginChallengeWithPasskey(
          pending.target,
          pending.challengeToken,
          response,
        ),
      );
      this.pending.set({
        step: 'unlock-keys',
        target: pending.target,
        grant,
        expiresAt: pending.expiresAt,
      });
      return { step: 'unlock-keys' };
    });
  }

  /** The signed-in account's passkeys, for the Security settings. */
  async passkeys(): Promise<PasskeyView[]> {
    return (await this.account.passkeys()).map((p) => ({
      id: p.id,
      name: p.name,
      createdAt: p.createdAt,
      lastUsedAt: p.lastUsedAt,
    }));
  }

  /** Registration options; STEP_UP_REQUIRED when the session has not stepped up lately. */
  async passkeyRegistrationOptions(): Promise<{ options: PasskeyOptionsJSON }> {
    return { options: passkeyOptions(await this.account.passkeyRegistrationOptions()) };
  }

  async registerPasskey(
    response: WebauthnJson,
    name: string,
  ): Promise<{ passkey: PasskeyView; backupCodes: string[] | null }> {
    const added = await this.account.registerPasskey(response, name);
    return {
      passkey: { id: added.id, name: added.name, createdAt: added.createdAt, lastUsedAt: null },
      backupCodes: added.backupCodes ?? null,
    };
  }

  async renamePasskey(id: string, name: string): Promise<{ id: string; name: string }> {
    return this.account.renamePasskey(id, name);
  }

  async removePasskey(id: string): Promise<{ removed: true }> {
    await this.account.removePasskey(id);
    return { removed: true };
  }

  /** A wrong Recovery Key (RECOVERY_KEY_WRONG) stores nothing and keeps the step. */
  async signInWithRecoveryKey(
    recoveryKey: string,
    emit: (event: ApiEvent) => void,
  ): Promise<SignInStep> {
    return this.oneAtATime(async () => {
      const pending = this.pending.take('unlock-keys');
      this.approvalEnded = null;
      await this.account.unlockKeys(pending.target, pending.grant, { recoveryKey });
      // The session is the vault's now: forgotten here without ending it.
      this.pending.clear();
      this.resume(emit);
      this.changed(emit);
      return { step: 'done', status: this.status() };
    });
  }

  /**
   * Opens the keys by approval from a signed-in device: answers once the request exists, with
   * the code to compare; the wait (15 minutes at most) goes on here, and its end reaches the
   * windows as `sync.status` — signed in, or back at `unlock-keys` with `approvalEnded`. The
   * wait holds the session itself, beyond the pending sign-in's own ten minutes.
   */
  async signInWithApproval(emit: (event: ApiEvent) => void): Promise<SignInStep> {
    return this.oneAtATime(async () => {
      const pending = this.pending.take('unlock-keys');
      this.pending.clear();
      this.approvalEnded = null;
      const wait: ApprovalWait = { pending, cancel: new AbortController(), view: null };
      this.approval = wait;
      let shown: (view: ApprovalRequestView) => void = () => undefined;
      const codeShown = new Promise<ApprovalRequestView>((resolve) => {
        shown = resolve;
      });
      const unlocked = this.account.unlockKeys(pending.target, pending.grant, {
        approval: {
          onCode: ({ code, expiresAt }) => {
            wait.view = { code, expiresAt };
            shown(wait.view);
            this.changed(emit);
          },
          signal: wait.cancel.signal,
        },
      });
      void unlocked.then(
        () => this.approvalSucceeded(wait, emit),
        (error: unknown) => this.approvalFailed(wait, error, emit),
      );
      // A failure before the code (the request refused) is this call's answer.
      const view = await Promise.race([
        codeShown,
        unlocked.then(() => {
          throw new CofferError('INTERNAL', 'Approved before a code was shown.');
        }),
      ]);
      return { step: 'awaiting-approval', ...view };
    });
  }

  /** Creates the vault's workspace (this account its admin) and starts the background sync. */
  async createWorkspace(
    name: string,
    emit: (event: ApiEvent) => void,
  ): Promise<{ status: SyncAccountStatus }> {
    return this.oneAtATime(async () => {
      await this.account.createWorkspace(name);
      this.resume(emit);
      this.changed(emit);
      return { status: this.status() };
    });
  }

  /**
   * Joins with an invite token or link and starts the background sync. A link made for
   * another server than the one this vault is signed in to is refused before anything is
   * sent: the token would mean nothing there, and sending it would hand it to a stranger.
   */
  async joinWorkspace(
    inviteText: string,
    emit: (event: ApiEvent) => void,
  ): Promise<{ keyReady: boolean; status: SyncAccountStatus }> {
    const invite = parseInvite(inviteText);
    if (invite === null) {
      throw new CofferError('INVALID_INPUT', 'This is not an invite link or token.', {
        issues: [{ path: ['token'], message: 'This is not an invite link or token' }],
      });
    }
    const account = this.repo.account();
    if (
      account !== null &&
      invite.server !== null &&
      !sameOrigin(invite.server, account.serverUrl)
    ) {
      throw new CofferError(
        'INVALID_INPUT',
        `This invite is for the server ${invite.server}, and this vault syncs with ${account.serverUrl}.`,
        { issues: [{ path: ['token'], message: 'This invite is for another sync server' }] },
      );
    }
    return this.oneAtATime(async () => {
      const joined = await inviteRefusals(() => this.account.join(invite.token));
      this.resume(emit);
      this.changed(emit);
      return { keyReady: joined.keyReady, status: this.status() };
    });
  }

  signInCancel(): SyncAccountStatus {
    this.pending.abandon();
    this.cancelApproval();
    this.approvalEnded = null;
    return this.status();
  }

  /** New devices of this account waiting for approval, each with the code derived here. */
  async pendingApprovals(emit: (event: ApiEvent) => void): Promise<PendingApprovalView[]> {
    return this.shredAware(() => this.account.pendingApprovals(), emit);
  }

  /**
   * Seals the user key to a waiting device once `code` matches the one derived here. The
   * session must have been stepped up (`security.stepUp`): the server refuses otherwise, and
   * the window asks for it (STEP_UP_REQUIRED) and tries again.
   */
  async approveDevice(
    id: string,
    code: string,
    emit: (event: ApiEvent) => void,
  ): Promise<PendingApprovalView> {
    return this.shredAware(() => this.account.approveDevice(id, code), emit);
  }

  async denyDevice(id: string, emit: (event: ApiEvent) => void): Promise<void> {
    await this.shredAware(() => this.account.denyDevice(id), emit);
  }

  /** Local only: no request to the server, so a window may ask as often as it likes. */
  status(): SyncAccountStatus {
    const account = this.repo.account();
    if (account === null) {
      if (this.approval !== null) {
        return {
          signedIn: false,
          signIn: 'awaiting-approval',
          ...(this.approval.view === null ? {} : { approval: this.approval.view }),
        };
      }
      return {
        signedIn: false,
        signIn: this.pending.peek()?.step ?? null,
        ...(this.approvalEnded === null ? {} : { approvalEnded: this.approvalEnded }),
      };
    }
    const workspace = this.repo.workspace();
    return {
      signedIn: true,
      server: account.serverUrl,
      fingerprint: account.fingerprint === null ? null : formatFingerprint(account.fingerprint),
      email: account.email,
      workspace: workspace === null ? null : workspaceSummary(workspace),
      loop: this.loop?.loop.status.current ?? null,
      lastSyncAt: account.lastSyncAt,
    };
  }

  syncNow(emit: (event: ApiEvent) => void): SyncAccountStatus {
    if (this.repo.account() === null) {
      throw new CofferError('SYNC_NOT_SET_UP', 'This vault is not signed in to a sync server.');
    }
    this.resume(emit);
    if (this.loop === null) {
      throw new CofferError(
        'INVALID_STATE',
        'This vault has no workspace yet: create or join one before syncing.',
      );
    }
    this.loop.loop.syncNow();
    return this.status();
  }

  async signOut(
    emit: (event: ApiEvent) => void,
  ): Promise<{ serverSessionEnded: boolean; status: SyncAccountStatus }> {
    return this.oneAtATime(async () => {
      this.pending.abandon();
      this.cancelApproval();
      await this.stop();
      const { serverSessionEnded } = await this.account.signOut();
      this.changed(emit);
      return { serverSessionEnded, status: this.status() };
    });
  }

  /**
   * Starts the loop when it should run and does not: signed in, with a workspace, the app
   * unlocked. Its status changes go out through `emit`.
   */
  resume(emit: (event: ApiEvent) => void): void {
    this.emit = emit;
    if (this.loop !== null || this.deps.isLocked() || !this.deps.vault.db.open) return;
    if (this.repo.account() === null || this.repo.workspace() === null) return;
    const loop = createVaultSyncLoop(this.deps.vault, this.account, this.deps.loop);
    const unsubscribeStatus = loop.status.subscribe(() => this.changed());
    // Another device's changes landed here: the windows re-read what they show.
    const unsubscribeRounds = loop.subscribe((event) => {
      if (event.type !== 'round') return;
      const { applied, conflicts, snapshot } = event.result;
      if (
        applied > 0 ||
        conflicts > 0 ||
        snapshot.loaded !== null ||
        snapshot.rebootstrapped !== null
      ) {
        this.emit?.({ name: 'sync.applied', data: { applied, conflicts } });
      }
    });
    const unsubscribe = () => {
      unsubscribeStatus();
      unsubscribeRounds();
    };
    const running = { loop, unsubscribe };
    this.loop = running;
    void loop.done.then((end) => {
      // Ended by itself (a revoked session, a signed-out one): the windows hear it once.
      if (this.loop !== running) return;
      unsubscribe();
      this.loop = null;
      if (end.reason === 'failed' && end.error.details?.['shredded'] === true) {
        this.shredded(end.error);
        return;
      }
      this.changed();
    });
    loop.start();
  }

  /** Stops the loop, letting a running round finish (the app locked, the vault closing). */
  async stop(): Promise<void> {
    const running = this.loop;
    if (running === null) return;
    this.loop = null;
    running.unsubscribe();
    await running.loop.stop();
  }

  /**
   * Stops at once, without waiting for a round in flight (the vault is closing under it);
   * the round then fails on the closed vault and the stopped loop schedules nothing more.
   */
  halt(): void {
    const running = this.loop;
    this.pending.abandon();
    this.cancelApproval();
    if (running === null) return;
    this.loop = null;
    running.unsubscribe();
    void running.loop.stop();
  }

  /**
   * One sign-in or sign-out call at a time: a second (a double click) would race the first
   * to the same pending sign-in or the same stored account.
   */
  private async oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) {
      throw new CofferError(
        'CONFLICT',
        'A sync account step is already running: wait for its answer.',
      );
    }
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private approvalSucceeded(wait: ApprovalWait, emit: (event: ApiEvent) => void): void {
    if (this.approval === wait) this.approval = null;
    // Signed in even if a cancel came too late to stop it: the status says so.
    this.resume(emit);
    this.changed(emit);
  }

  private approvalFailed(
    wait: ApprovalWait,
    error: unknown,
    emit: (event: ApiEvent) => void,
  ): void {
    const cancelled = wait.cancel.signal.aborted;
    if (this.approval === wait) this.approval = null;
    if (cancelled) {
      void this.account.abandonLogin(wait.pending.target, wait.pending.grant);
      return;
    }
    // The session still stands: the sign-in goes back to its last step, on a fresh clock.
    this.pending.set({ ...wait.pending, expiresAt: this.deps.now() + PENDING_SIGN_IN_TTL_MS });
    // Before a code was shown the call itself answers with the error.
    if (wait.view !== null) {
      this.approvalEnded = isCofferError(error)
        ? { code: error.code, message: error.message }
        : { code: 'INTERNAL', message: 'The wait for approval failed.' };
    }
    this.changed(emit);
  }

  private cancelApproval(): void {
    const wait = this.approval;
    if (wait === null) return;
    this.approval = null;
    wait.cancel.abort();
  }

  /** Runs an account call; a vault the call crypto-shredded is let go of and announced. */
  private async shredAware<T>(fn: () => Promise<T>, emit: (event: ApiEvent) => void): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isCofferError(error) && error.details?.['shredded'] === true) {
        this.emit ??= emit;
        await this.stop().catch(() => undefined);
        this.shredded(error);
      }
      throw error;
    }
  }

  /** The vault is gone: every window is told why, then whoever holds the vault lets go. */
  private shredded(error: CofferError): void {
    // The loop's end and the call that met the refusal can both report one shredding.
    if (this.removed) return;
    this.removed = true;
    this.pending.abandon();
    this.cancelApproval();
    this.emit?.({
      name: 'vault.removed',
      data: { code: error.code, message: error.message },
    });
    this.deps.onShredded?.(error);
  }

  private changed(emit = this.emit): void {
    if (emit === null || !this.deps.vault.db.open) return;
    emit({ name: 'sync.status', data: this.status() });
  }

  /** The server ended the challenge (expired, or too many wrong answers): start over. */
  private async serverEnded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isCofferError(error) && error.details?.['serverCode'] === 'CHALLENGE_EXPIRED') {
        this.pending.expire();
        throw new CofferError(
          'SIGN_IN_EXPIRED',
          'The server ended this sign-in (it expired, or too many codes were wrong): start again with your email and password.',
        );
      }
      throw error;
    }
  }

  private accountService(deviceName: string): SyncAccountService {
    return new SyncAccountService({
      vault: this.deps.vault,
      keyStore: this.deps.keyStore,
      deviceName,
      now: this.deps.now,
      onShredded: (error) => this.vaultShredded(error),
      // The loop's round meets the same refusal and reports it: the window's status and
      // the navigation stop saying "synced" for an account the policy now stops.
      onMfaRequired: () => this.loop?.loop.syncNow(),
    });
  }

  /**
   * Any call of the account service (the workspace screen's, the security screen's, a
   * device approval's) met a revoked session or a removal and shredded the vault: the loop
   * stops and every window is told, as when the loop itself meets it.
   */
  vaultShredded(error: CofferError): void {
    void this.stop().catch(() => undefined);
    this.shredded(error);
  }
}

const INVITE_REFUSALS = new Set([
  'INVITE_NOT_FOUND',
  'INVITE_USED',
  'INVITE_EXPIRED',
  'INVITE_WRONG_ACCOUNT',
]);

/**
 * The server's refusals of an invite as the app's codes: INVITE_INVALID (unknown, used,
 * expired, or sent to another address) and CONFLICT (already a member); a vault with
 * records of its own is told what to do in the app rather than on the command line.
 */
async function inviteRefusals<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isCofferError(error)) throw error;
    const server = error.details?.['serverCode'];
    if (typeof server === 'string' && INVITE_REFUSALS.has(server)) {
      throw new CofferError('INVITE_INVALID', error.message, error.details);
    }
    if (server === 'ALREADY_MEMBER')
      throw new CofferError('CONFLICT', error.message, error.details);
    if (error.code === 'INVALID_STATE' && error.details?.['collections'] !== undefined) {
      throw new CofferError(
        'INVALID_STATE',
        'This vault already holds records; joining would share them with every member of that workspace. Join from a new, empty vault, or create a workspace of your own to sync these.',
        error.details,
      );
    }
    throw error;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function target(input: ServerTargetInput): ServerTarget {
  return { serverUrl: input.url, fingerprint: parseFingerprint(input.fingerprint) };
}

/** Options as the server made them; anything without a challenge is not the server's protocol. */
export function passkeyOptions(options: WebauthnJson): PasskeyOptionsJSON {
  const challenge = options['challenge'];
  if (typeof challenge !== 'string' || challenge === '') {
    throw new CofferError(
      'SERVER_ERROR',
      'The sync server sent passkey options without a challenge.',
    );
  }
  return { ...options, challenge };
}

/** The server's methods a window can answer here, in its order. */
function answerable(methods: readonly string[]): SignInFactor[] {
  return methods.flatMap((method) => {
    const known = FROM_SERVER_METHOD[method];
    return known === undefined ? [] : [known];
  });
}
