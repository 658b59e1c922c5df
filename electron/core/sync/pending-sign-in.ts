import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { SessionGrant } from './client/account-api.client.js';
import type { ServerTarget } from './sync-account.service.js';

/** How long a sign-in may wait between its steps before it starts over. */
export const PENDING_SIGN_IN_TTL_MS = 10 * 60_000;

/**
 * A sign-in between its steps. The challenge token and the session token live here, in
 * the core's memory only: never in the vault (nothing is stored until the keys open) and
 * never in an answer to a window.
 */
export type PendingSignIn =
  | {
      step: 'second-factor';
      target: ServerTarget;
      challengeToken: string;
      methods: string[];
      expiresAt: number;
    }
  | { step: 'unlock-keys'; target: ServerTarget; grant: SessionGrant; expiresAt: number };

type Slot = PendingSignIn | { step: 'expired' } | null;

/**
 * The one sign-in in progress of an open vault. An expired one is dropped (its session, if
 * any, handed to `onAbandon` to be ended) and answers SIGN_IN_EXPIRED once, so the window
 * can say why it starts over. A timer drops it even if no call comes.
 */
export class PendingSignInSlot {
  private slot: Slot = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number,
    private readonly onAbandon: (pending: PendingSignIn) => void,
  ) {}

  /** The step waiting, or null; an expired one reads as null. */
  peek(): PendingSignIn | null {
    this.expireIfDue();
    return this.slot === null || this.slot.step === 'expired' ? null : this.slot;
  }

  /** The sign-in waiting at `step`; SIGN_IN_EXPIRED or SIGN_IN_NOT_STARTED otherwise. */
  take<S extends PendingSignIn['step']>(step: S): Extract<PendingSignIn, { step: S }> {
    this.expireIfDue();
    const slot = this.slot;
    if (slot?.step === 'expired') {
      this.slot = null;
      throw new CofferError(
        'SIGN_IN_EXPIRED',
        'The sign-in waited too long between steps: start again with your email and password.',
      );
    }
    if (slot === null || slot.step !== step) {
      throw new CofferError(
        'SIGN_IN_NOT_STARTED',
        slot === null
          ? 'No sign-in is in progress: start with your email and password.'
          : 'The sign-in is not at that step.',
        { step: slot?.step ?? null },
      );
    }
    return slot as Extract<PendingSignIn, { step: S }>;
  }

  /** Starts or moves on a sign-in; it expires PENDING_SIGN_IN_TTL_MS after it started. */
  set(pending: PendingSignIn): void {
    this.clear();
    this.slot = pending;
    this.timer = setTimeout(
      () => this.expireIfDue(true),
      Math.max(0, pending.expiresAt - this.now()),
    );
    this.timer.unref();
  }

  /** A sign-in the server has ended (its challenge expired): answered as expired. */
  expire(): void {
    this.drop({ step: 'expired' });
  }

  /** Forgets the sign-in without ending its session (it has become the vault's own). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.slot = null;
  }

  /** Forgets the sign-in and ends the session it opened. */
  abandon(): void {
    this.drop(null);
  }

  private expireIfDue(byTimer = false): void {
    const slot = this.slot;
    if (slot === null || slot.step === 'expired') return;
    if (byTimer || this.now() >= slot.expiresAt) this.drop({ step: 'expired' });
  }

  private drop(next: Slot): void {
    const slot = this.slot;
    this.clear();
    this.slot = next;
    if (slot !== null && slot.step !== 'expired') this.onAbandon(slot);
  }
}
