import { describe, expect, it } from 'vitest';

import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { SyncStatus } from '../../../../shared/sync/sync-status.js';
import { ROUND_BACKOFF, SOCKET_BACKOFF, backoffDelay } from './backoff-policy.js';
import { SyncLoop, type SyncLoopSocketHandlers } from './sync-loop.js';
import type { SyncRunResult } from './sync-once.js';
import { manualLoopClock } from './testing/manual-loop-clock.js';

/**
 * The loop's decisions — when a round runs, how long it waits after a failure, when it
 * stops — on a hand-moved clock. The rounds themselves are scripted here; the same loop
 * against the real server, vaults and socket is in vault-sync-loop.test.ts.
 */
const emptyResult = (seq: number): SyncRunResult => ({
  pushed: 0,
  pushRejected: [],
  held: 0,
  pulled: 0,
  applied: 0,
  alreadyHad: 0,
  conflicts: 0,
  deferred: 0,
  refused: [],
  seq,
  serverRestored: false,
  snapshot: { loaded: null, rebootstrapped: null, written: null, writeFailed: null },
});

type Outcome = SyncRunResult | CofferError;

function harness(options: { random?: number } = {}) {
  const clock = manualLoopClock();
  const outcomes: Outcome[] = [];
  const rounds: number[] = [];
  const statuses: SyncStatus[] = [];
  const sockets: { handlers: SyncLoopSocketHandlers; closed: boolean; at: number }[] = [];
  let localListener: (() => void) | undefined;
  let pulled = 0;
  let queued = 0;
  let held: Promise<void> | undefined;
  let released = 0;
  let vaultOpen = true;
  const openVault = (): void => {
    if (!vaultOpen) throw new TypeError('The database connection is not open');
  };
  const random = options.random ?? 0.5;
  const loop = new SyncLoop({
    runRound: async () => {
      rounds.push(clock.now());
      if (held !== undefined) await held;
      const outcome = outcomes.shift() ?? emptyResult(pulled);
      if (outcome instanceof CofferError) throw outcome;
      pulled = outcome.seq;
      return outcome;
    },
    connectSocket: (handlers) => {
      openVault();
      const socket = { handlers, closed: false, at: clock.now() };
      sockets.push(socket);
      return { close: () => (socket.closed = true) };
    },
    onLocalCommit: (listener) => {
      localListener = listener;
      return () => (localListener = undefined);
    },
    queued: () => (openVault(), queued),
    pulledSeq: () => (openVault(), pulled),
    now: () => clock.now(),
    random: () => random,
    timers: clock.timers,
    release: () => (released += 1),
    options: { debounceMs: 20, pollMs: 3_600_000, socketStableMs: 30_000 },
  });
  loop.status.subscribe((status) => statuses.push(status));
  return {
    clock,
    loop,
    outcomes,
    rounds,
    statuses,
    sockets,
    commit: () => localListener?.(),
    setQueued: (n: number) => (queued = n),
    /** As a round that met SESSION_REVOKED does: the vault is shredded and closed. */
    closeVault: () => (vaultOpen = false),
    /** Holds the next rounds until the returned call releases them. */
    hold: (): (() => void) => {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    hasLocalListener: () => localListener !== undefined,
    released: () => released,
    since: (t0: number) => rounds.map((t) => t - t0),
  };
}

const unreachable = () => new CofferError('SERVER_UNREACHABLE', 'down');

describe('sync loop scheduling', () => {
  it('reports changes a round held for the role as synced with them unsent, until a round sends them', async () => {
    const h = harness();
    h.outcomes.push({ ...emptyResult(3), held: 2 }, emptyResult(4));
    h.loop.start();
    await h.clock.advance(0);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'synced', seq: 3, held: 2 });
    h.commit();
    await h.clock.advance(20);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'synced', seq: 4, held: 0 });
    await h.loop.stop();
  });

  it('catches up at start, then pushes committed writes once per debounce window', async () => {
    const h = harness();
    const t0 = h.clock.now();
    h.loop.start();
    await h.clock.advance(0);
    expect(h.since(t0)).toEqual([0]);
    expect(h.statuses.at(-1)).toEqual({ state: 'synced', lastSyncAt: t0, seq: 0, held: 0 });

    // Three writes 5 ms apart: one round, 20 ms after the first.
    h.commit();
    await h.clock.advance(5);
    h.commit();
    await h.clock.advance(5);
    h.commit();
    await h.clock.advance(100);
    expect(h.since(t0)).toEqual([0, 20]);
    await h.loop.stop();
  });

  it('runs a round when asked, but not before the backoff after a failure allows', async () => {
    const h = harness({ random: 0.5 });
    const t0 = h.clock.now();
    h.loop.start();
    await h.clock.advance(0);
    await h.clock.advance(1_000);
    h.loop.syncNow();
    await h.clock.advance(0);
    expect(h.since(t0)).toEqual([0, 1_000]);

    h.outcomes.push(unreachable());
    h.loop.syncNow();
    await h.clock.advance(0);
    expect(h.rounds).toHaveLength(3);
    const retryAt = (h.statuses.at(-1) as { retryAt: number }).retryAt;
    expect(retryAt).toBeGreaterThan(h.clock.now());
    // Asking again during the backoff waits for it instead of hammering the server.
    h.loop.syncNow();
    await h.clock.advance(0);
    expect(h.rounds).toHaveLength(3);
    await h.clock.advance(retryAt - h.clock.now());
    expect(h.rounds).toHaveLength(4);
    await h.loop.stop();
  });

  it('pulls when the socket announces a newer seq, not for one it already has', async () => {
    const h = harness();
    h.outcomes.push(emptyResult(7));
    const t0 = h.clock.now();
    h.loop.start();
    await h.clock.advance(0);
    const socket = h.sockets[0]!;
    socket.handlers.onSeq({ seq: 7, epoch: 'e1' });
    await h.clock.advance(10);
    expect(h.rounds).toHaveLength(1);
    h.outcomes.push(emptyResult(8));
    socket.handlers.onSeq({ seq: 8, epoch: 'e1' });
    await h.clock.advance(0);
    expect(h.since(t0)).toEqual([0, 10]);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'synced', seq: 8 });
    await h.loop.stop();
  });

  it('an announcement heard during a round runs another only if that round did not reach it', async () => {
    const h = harness();
    h.loop.start();
    await h.clock.advance(0);
    const socket = h.sockets[0]!;

    // A round that pushes hears its own push announced (seq 5) and then pulls to 5: no more.
    let release = h.hold();
    h.outcomes.push(emptyResult(5));
    h.commit();
    await h.clock.advance(20);
    socket.handlers.onSeq({ seq: 5, epoch: 'e1' });
    release();
    await h.clock.advance(0);
    expect(h.rounds).toHaveLength(2);

    // One that pulls only to 6 while 9 is announced: one more round follows at once.
    release = h.hold();
    h.outcomes.push(emptyResult(6), emptyResult(9));
    h.commit();
    await h.clock.advance(20);
    socket.handlers.onSeq({ seq: 9, epoch: 'e1' });
    release();
    await h.clock.advance(0);
    expect(h.rounds).toHaveLength(4);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'synced', seq: 9 });
    await h.loop.stop();
  });

  it('backs off with full jitter while the server is unreachable, keeping writes queued', async () => {
    const h = harness({ random: 0.5 });
    h.outcomes.push(unreachable(), unreachable(), unreachable());
    h.setQueued(3);
    const t0 = h.clock.now();
    h.loop.start();
    await h.clock.advance(0);
    const wait = (n: number) => backoffDelay(ROUND_BACKOFF, n, 0.5);
    expect(h.statuses.at(-1)).toEqual({ state: 'offline', queued: 3, retryAt: t0 + wait(0) });

    // A write during the backoff does not bring the retry forward.
    h.commit();
    await h.clock.advance(wait(0) - 1);
    expect(h.rounds).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.rounds).toHaveLength(2);
    await h.clock.advance(wait(1));
    expect(h.rounds).toHaveLength(3);
    // The third failure waits longer again; then the server answers.
    await h.clock.advance(wait(2));
    expect(h.since(t0)).toEqual([0, wait(0), wait(0) + wait(1), wait(0) + wait(1) + wait(2)]);
    expect(wait(2)).toBeGreaterThan(wait(1));
    expect(h.statuses.at(-1)).toMatchObject({ state: 'synced' });
    await h.loop.stop();
  });

  it("waits out a 429's Retry-After, even when the socket reconnects or announces meanwhile", async () => {
    const h = harness({ random: 0 });
    h.outcomes.push(
      new CofferError('RATE_LIMITED', 'slow down', { status: 429, retryAfterMs: 30_000 }),
    );
    const t0 = h.clock.now();
    h.loop.start();
    await h.clock.advance(0);
    expect(h.statuses.at(-1)).toMatchObject({
      state: 'error',
      code: 'RATE_LIMITED',
      retryAt: t0 + 30_000,
    });
    h.sockets[0]!.handlers.onOpen();
    h.sockets[0]!.handlers.onSeq({ seq: 99, epoch: 'e1' });
    h.commit();
    await h.clock.advance(29_999);
    expect(h.rounds).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.since(t0)).toEqual([0, 30_000]);
    await h.loop.stop();
  });

  it('a socket that reconnects after an outage ends the round backoff at once', async () => {
    const h = harness({ random: 0.99 });
    h.outcomes.push(...Array.from({ length: 5 }, unreachable));
    const t0 = h.clock.now();
    h.loop.start();
    // Rounds at 0 and after each of the first four waits: five failures.
    for (let i = 0; i < 4; i += 1) await h.clock.advance(backoffDelay(ROUND_BACKOFF, i, 0.99));
    expect(h.rounds).toHaveLength(5);
    const socket = h.sockets[0]!;
    socket.handlers.onEnd({ code: 1006, reason: '' });
    // The socket retries on its own backoff; when it opens, a round follows at once.
    const reconnect = backoffDelay(SOCKET_BACKOFF, 0, 0.99);
    await h.clock.advance(reconnect);
    expect(h.sockets).toHaveLength(2);
    const opened = h.clock.now();
    h.sockets[1]!.handlers.onOpen();
    await h.clock.advance(0);
    expect(h.rounds.at(-1)).toBe(opened);
    expect(h.statuses.at(-1)).toMatchObject({ state: 'synced' });
    // Well before the fifth wait would have ended.
    expect(opened - t0).toBeLessThan(
      [0, 1, 2, 3, 4].reduce((sum, n) => sum + backoffDelay(ROUND_BACKOFF, n, 0.99), 0),
    );
    expect(h.rounds).toHaveLength(6);
    await h.loop.stop();
  });

  it('the socket reconnects with a growing backoff, reset once a connection has held', async () => {
    const h = harness({ random: 0.5 });
    h.loop.start();
    await h.clock.advance(0);
    for (let n = 0; n < 3; n += 1) {
      h.sockets.at(-1)!.handlers.onEnd({ code: 1006, reason: '' });
      const before = h.sockets.length;
      await h.clock.advance(backoffDelay(SOCKET_BACKOFF, n, 0.5) - 1);
      expect(h.sockets).toHaveLength(before);
      await h.clock.advance(1);
      expect(h.sockets).toHaveLength(before + 1);
    }
    // Open for longer than socketStableMs: the next drop starts from the first delay again.
    h.sockets.at(-1)!.handlers.onOpen();
    await h.clock.advance(30_000);
    h.sockets.at(-1)!.handlers.onEnd({ code: 1001, reason: 'SERVER_SHUTTING_DOWN' });
    const before = h.sockets.length;
    await h.clock.advance(backoffDelay(SOCKET_BACKOFF, 0, 0.5));
    expect(h.sockets).toHaveLength(before + 1);
    await h.loop.stop();
  });

  it('SESSION_REVOKED ends the loop: socket closed, no retry, status error without retryAt', async () => {
    const h = harness();
    h.loop.start();
    await h.clock.advance(0);
    h.setQueued(2);
    h.outcomes.push(new CofferError('SESSION_REVOKED', 'shredded', { shredded: true }));
    // The server closes the socket of a revoked session; the loop meets it over HTTP.
    h.sockets[0]!.handlers.onEnd({ code: 4401, reason: 'SESSION_REVOKED' });
    await h.clock.advance(0);
    const end = await h.loop.done;
    expect(end).toMatchObject({ reason: 'failed', error: { code: 'SESSION_REVOKED' } });
    expect(h.statuses.at(-1)).toMatchObject({
      state: 'error',
      code: 'SESSION_REVOKED',
      retryAt: null,
    });
    expect(h.hasLocalListener()).toBe(false);
    expect(h.released()).toBe(1);
    const rounds = h.rounds.length;
    const sockets = h.sockets.length;
    await h.clock.advance(24 * 3_600_000);
    expect([h.rounds.length, h.sockets.length]).toEqual([rounds, sockets]);
    expect(h.clock.pending()).toEqual([]);
  });

  it('MEMBER_REMOVED ends the loop with the error that says the vault was shredded, no retry', async () => {
    const h = harness();
    h.loop.start();
    await h.clock.advance(0);
    h.outcomes.push(new CofferError('MEMBER_REMOVED', 'shredded', { shredded: true }));
    h.loop.syncNow();
    await h.clock.advance(0);
    const end = await h.loop.done;
    expect(end).toMatchObject({
      reason: 'failed',
      error: { code: 'MEMBER_REMOVED', details: { shredded: true } },
    });
    const rounds = h.rounds.length;
    await h.clock.advance(24 * 3_600_000);
    expect(h.rounds.length).toBe(rounds);
  });

  it('a vault closed under a running round: the socket is not reopened on it, and the round ends the loop', async () => {
    const h = harness({ random: 0.5 });
    h.loop.start();
    await h.clock.advance(0);
    // The server drops the revoked session's socket; the round that follows meets the
    // revocation, shreds the vault, and is still finishing when the reconnect timer fires.
    const release = h.hold();
    h.outcomes.push(new CofferError('SESSION_REVOKED', 'shredded', { shredded: true }));
    h.sockets[0]!.handlers.onEnd({ code: 4401, reason: 'SESSION_REVOKED' });
    await h.clock.advance(0);
    h.closeVault();
    const sockets = h.sockets.length;
    await h.clock.advance(backoffDelay(SOCKET_BACKOFF, 0, 0.5));
    expect(h.sockets).toHaveLength(sockets);
    release();
    await h.clock.advance(0);
    expect(await h.loop.done).toMatchObject({
      reason: 'failed',
      error: { code: 'SESSION_REVOKED' },
    });
    expect(h.clock.pending()).toEqual([]);
  });

  it('stop() closes the socket, clears every timer and lets a running round finish', async () => {
    const h = harness();
    h.loop.start();
    await h.clock.advance(0);
    h.commit();
    await h.loop.stop();
    expect(await h.loop.done).toEqual({ reason: 'stopped' });
    expect(h.sockets[0]!.closed).toBe(true);
    expect(h.clock.pending()).toEqual([]);
    expect(h.released()).toBe(1);
    h.commit();
    await h.clock.advance(3_600_000);
    expect(h.rounds).toHaveLength(1);
  });

  it('polls as a fallback when nothing else asks for a round', async () => {
    const h = harness();
    const t0 = h.clock.now();
    h.loop.start();
    await h.clock.advance(2 * 3_600_000);
    expect(h.since(t0)).toEqual([0, 3_600_000, 7_200_000]);
    await h.loop.stop();
  });
});
