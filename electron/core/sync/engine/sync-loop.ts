import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { SyncProgress, SyncStatus } from '../../../../shared/sync/sync-status.js';
import type { SeqAnnouncement, SocketEnd } from '../client/sync-socket.client.js';
import { ROUND_BACKOFF, SOCKET_BACKOFF, backoffDelay, retryDelay } from './backoff-policy.js';
import type { BackoffPolicy } from './backoff-policy.js';
import type { SyncRunResult } from './sync-once.js';
import { SyncStatusFeed } from './sync-status-feed.js';

/** The timer calls the loop makes, injected so tests move time instead of waiting for it. */
export interface LoopTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: LoopTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SyncLoopOptions {
  /** Writes committed within this long of the first are pushed together. */
  debounceMs: number;
  /** A round this often even when nothing announced one: the socket's fallback. */
  pollMs: number;
  /** A socket that stayed open this long starts its reconnect backoff afresh when it drops. */
  socketStableMs: number;
  rounds: BackoffPolicy;
  socket: BackoffPolicy;
}

export const DEFAULT_SYNC_LOOP_OPTIONS: SyncLoopOptions = {
  debounceMs: 20,
  pollMs: 10 * 60_000,
  socketStableMs: 30_000,
  rounds: ROUND_BACKOFF,
  socket: SOCKET_BACKOFF,
};

export interface SyncLoopSocketHandlers {
  onOpen(): void;
  onSeq(announcement: SeqAnnouncement): void;
  onEnd(end: SocketEnd): void;
}

/** What the loop drives; `vault-sync-loop.ts` wires it to a vault and its account. */
export interface SyncLoopDeps {
  /** One round of push then pull, reporting progress as it goes. */
  runRound(onProgress: (progress: SyncProgress) => void): Promise<SyncRunResult>;
  /** Opens the workspace's announcement socket. */
  connectSocket(handlers: SyncLoopSocketHandlers): { close(): void };
  /** Calls back after each committed local write; returns the call that stops it. */
  onLocalCommit(listener: () => void): () => void;
  /** Changes waiting in the outbox. */
  queued(): number;
  /** The newest workspace seq applied here. */
  pulledSeq(): number;
  now(): number;
  random(): number;
  timers: LoopTimers;
  options?: Partial<SyncLoopOptions>;
  /** Called once when the loop has ended, to let go of what the deps hold open. */
  release?(): void;
}

/** Why a round ran. */
export type RoundCause = 'start' | 'local' | 'announced' | 'socket' | 'poll' | 'retry' | 'asked';

export type SyncLoopEvent =
  | { type: 'round'; cause: RoundCause; result: SyncRunResult }
  | { type: 'status'; status: SyncStatus }
  | { type: 'socket'; connected: boolean; code?: number; reason?: string; error?: string };

/** What ended the loop: `stop()`, or an error no retry can mend. */
export type SyncLoopEnd = { reason: 'stopped' } | { reason: 'failed'; error: CofferError };

/**
 * Errors that end the loop instead of being retried: the session is gone (revoked — the
 * account service has already crypto-shredded the vault — or ended), the account was
 * removed from the workspace (shredded too), or the vault is no longer signed in or open. Retrying would only repeat them.
 */
const FATAL = new Set<string>([
  'SESSION_REVOKED',
  // Removed from the workspace: the account service has crypto-shredded the vault too.
  'MEMBER_REMOVED',
  'SESSION_ENDED',
  'AUTH_FAILED',
  'SYNC_NOT_SET_UP',
  'VAULT_CLOSED',
]);

/**
 * The device's background sync (docs/architecture.md, The sync loop): rounds of push then
 * pull, started by committed local writes (debounced), by the server's announcement of a
 * newer seq on the workspace WebSocket, by the socket (re)connecting, and by a rare poll.
 * One round runs at a time; whatever asks for one meanwhile gets one more after it.
 *
 * A failed round is retried after a jittered, capped backoff and never before a 429's
 * Retry-After; while the server cannot be reached, writes wait in the outbox (status
 * offline with the count). An error no retry can mend (SESSION_REVOKED, after the account
 * service has shredded the vault) ends the loop. The socket reconnects with its own backoff.
 * Time comes from `now` and `timers`, so tests drive every decision without waiting.
 */
export class SyncLoop {
  readonly status: SyncStatusFeed;
  private readonly options: SyncLoopOptions;
  private readonly listeners = new Set<(event: SyncLoopEvent) => void>();
  private started = false;
  private stopping = false;
  private running: Promise<void> | undefined;
  /** A round was asked for while one ran (or before the timer fired). */
  private wanted = false;
  private wantedCause: RoundCause = 'start';
  /** The newest seq announced while a round ran: pulled by that round, or by one more. */
  private announcedDuringRound = 0;
  private roundTimer: { handle: unknown; at: number } | undefined;
  private pollTimer: unknown;
  /** No round before this instant (backoff, Retry-After). */
  private notBefore = 0;
  private failures = 0;
  private rateLimited = false;
  private socket: { close(): void } | undefined;
  private socketTimer: unknown;
  private socketFailures = 0;
  private socketOpenedAt: number | undefined;
  private unsubscribeLocal: (() => void) | undefined;
  private readonly ended: Promise<SyncLoopEnd>;
  private finish!: (end: SyncLoopEnd) => void;

  constructor(private readonly deps: SyncLoopDeps) {
    this.options = { ...DEFAULT_SYNC_LOOP_OPTIONS, ...deps.options };
    this.status = new SyncStatusFeed({
      state: 'syncing',
      progress: { pushed: 0, pulled: 0, applied: 0, seq: deps.pulledSeq() },
    });
    this.status.subscribe((status) => this.emit({ type: 'status', status }));
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  /** Every round, status change and socket change, as they happen. */
  subscribe(listener: (event: SyncLoopEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the loop has ended, and why. */
  get done(): Promise<SyncLoopEnd> {
    return this.ended;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribeLocal = this.deps.onLocalCommit(() =>
      this.request('local', this.options.debounceMs),
    );
    this.openSocket();
    this.request('start', 0);
  }

  /** The user asked for a round: one now, or when the backoff allows. */
  syncNow(): void {
    this.request('asked', 0);
  }

  /** Ends the loop: closes the socket, lets a running round finish, then resolves. */
  async stop(): Promise<void> {
    await this.end({ reason: 'stopped' });
  }

  private async end(end: SyncLoopEnd): Promise<void> {
    if (this.stopping) {
      await this.running;
      return;
    }
    this.stopping = true;
    this.unsubscribeLocal?.();
    this.clearRoundTimer();
    this.deps.timers.clearTimeout(this.pollTimer);
    this.deps.timers.clearTimeout(this.socketTimer);
    this.socket?.close();
    this.socket = undefined;
    await this.running;
    this.deps.release?.();
    this.finish(end);
  }

  /** Asks for a round in `delayMs` (or when the backoff allows, if later). */
  private request(cause: RoundCause, delayMs: number): void {
    if (this.stopping) return;
    if (!this.wanted) this.wantedCause = cause;
    this.wanted = true;
    if (this.running !== undefined) return;
    this.schedule(Math.max(this.deps.now() + delayMs, this.notBefore));
  }

  private schedule(at: number): void {
    if (this.roundTimer !== undefined && this.roundTimer.at <= at) return;
    this.clearRoundTimer();
    const handle = this.deps.timers.setTimeout(
      () => {
        this.roundTimer = undefined;
        this.runRound();
      },
      Math.max(0, at - this.deps.now()),
    );
    this.roundTimer = { handle, at };
  }

  private clearRoundTimer(): void {
    if (this.roundTimer === undefined) return;
    this.deps.timers.clearTimeout(this.roundTimer.handle);
    this.roundTimer = undefined;
  }

  private runRound(): void {
    if (this.stopping || this.running !== undefined || !this.wanted) return;
    const cause = this.wantedCause;
    this.wanted = false;
    this.announcedDuringRound = 0;
    this.running = this.round(cause).finally(() => {
      this.running = undefined;
      if (this.stopping) return;
      this.schedulePoll();
      // The round may already have pulled what was announced while it ran (its own push's
      // announcement, typically): another round only for a seq it has not reached.
      if (this.announcedDuringRound > this.safePulledSeq()) this.request('announced', 0);
      if (this.wanted) this.schedule(Math.max(this.deps.now(), this.notBefore));
    });
  }

  private async round(cause: RoundCause): Promise<void> {
    try {
      this.status.set({
        state: 'syncing',
        progress: { pushed: 0, pulled: 0, applied: 0, seq: this.deps.pulledSeq() },
      });
      const result = await this.deps.runRound((progress) => {
        if (!this.stopping) this.status.set({ state: 'syncing', progress });
      });
      this.failures = 0;
      this.notBefore = 0;
      this.rateLimited = false;
      this.emit({ type: 'round', cause, result });
      this.status.set({
        state: 'synced',
        lastSyncAt: this.deps.now(),
        seq: result.seq,
        held: result.held,
      });
    } catch (error) {
      this.failed(asCofferError(error));
    }
  }

  private failed(error: CofferError): void {
    const queued = this.safeQueued();
    if (FATAL.has(error.code)) {
      this.status.set({
        state: 'error',
        code: error.code,
        message: error.message,
        retryAt: null,
        queued,
      });
      // Not awaited: `end` waits for this very round to finish.
      void this.end({ reason: 'failed', error });
      return;
    }
    const retryAfterMs = error.details?.['retryAfterMs'];
    const delay = retryDelay(
      this.options.rounds,
      this.failures,
      this.deps.random(),
      typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
    );
    this.failures += 1;
    this.rateLimited = error.code === 'RATE_LIMITED';
    const retryAt = this.deps.now() + delay;
    this.notBefore = retryAt;
    if (error.code === 'SERVER_UNREACHABLE') {
      this.status.set({ state: 'offline', queued, retryAt });
    } else {
      this.status.set({
        state: 'error',
        code: error.code,
        message: error.message,
        retryAt,
        queued,
      });
    }
    if (!this.wanted) this.wantedCause = 'retry';
    this.wanted = true;
  }

  private schedulePoll(): void {
    this.deps.timers.clearTimeout(this.pollTimer);
    this.pollTimer = this.deps.timers.setTimeout(
      () => this.request('poll', 0),
      this.options.pollMs,
    );
  }

  private openSocket(): void {
    if (this.stopping) return;
    this.socketOpenedAt = undefined;
    const handlers: SyncLoopSocketHandlers = {
      onOpen: () => {
        this.socketOpenedAt = this.deps.now();
        this.emit({ type: 'socket', connected: true });
        // Announcements made while it was down were missed: catch up. A server that answers
        // the socket is back, so an outage's backoff need not be waited out (a 429 is).
        if (!this.rateLimited) this.notBefore = 0;
        this.request('socket', 0);
      },
      onSeq: (announcement) => {
        if (this.running !== undefined) {
          this.announcedDuringRound = Math.max(this.announcedDuringRound, announcement.seq);
        } else if (announcement.seq > this.safePulledSeq()) {
          this.request('announced', 0);
        }
      },
      onEnd: (end) => this.socketEnded(end),
    };
    try {
      this.socket = this.deps.connectSocket(handlers);
    } catch (error) {
      // Thrown from a timer, it would take the process down. The vault can be closed under
      // the loop (shredded by a round that met SESSION_REVOKED, which then ends the loop);
      // otherwise this is retried like a connection that failed.
      this.socketEnded({ code: 1006, reason: '', error: asCofferError(error) });
    }
  }

  private socketEnded(end: SocketEnd): void {
    this.socket = undefined;
    if (this.stopping) return;
    this.emit({
      type: 'socket',
      connected: false,
      code: end.code,
      reason: end.reason,
      ...(end.error === undefined ? {} : { error: end.error.code }),
    });
    const openedAt = this.socketOpenedAt;
    if (openedAt !== undefined && this.deps.now() - openedAt >= this.options.socketStableMs) {
      this.socketFailures = 0;
    }
    // A revoked or ended session, or a removal, is for a round to meet over HTTP, where the
    // account service handles it (crypto-shredding on SESSION_REVOKED).
    const refusedCode = end.error?.code;
    if (
      end.code === 4401 ||
      end.code === 4404 ||
      refusedCode === 'SESSION_REVOKED' ||
      refusedCode === 'SESSION_ENDED'
    ) {
      this.notBefore = this.rateLimited ? this.notBefore : 0;
      this.request('socket', 0);
    }
    const delay = backoffDelay(this.options.socket, this.socketFailures, this.deps.random());
    this.socketFailures += 1;
    this.socketTimer = this.deps.timers.setTimeout(() => this.openSocket(), delay);
  }

  private safePulledSeq(): number {
    try {
      return this.deps.pulledSeq();
    } catch {
      return Number.MAX_SAFE_INTEGER;
    }
  }

  private safeQueued(): number {
    try {
      return this.deps.queued();
    } catch {
      // A shredded or closed vault has nothing queued that could still be sent.
      return 0;
    }
  }

  private emit(event: SyncLoopEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

function asCofferError(error: unknown): CofferError {
  if (isCofferError(error)) return error;
  return new CofferError('INTERNAL', 'Sync failed unexpectedly.');
}
