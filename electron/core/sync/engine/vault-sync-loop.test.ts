import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { AccountApiClient } from '../client/account-api.client.js';
import { openSyncSocket, type SocketEnd } from '../client/sync-socket.client.js';
import { startSyncServerProcess } from '../client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../client/testing/sync-server-process.js';
import { vaultDbPath } from '../../vault/vault-files.js';
import type { SyncLoopEvent } from './sync-loop.js';
import { loopDevice, targetOf, type LoopDevice } from './testing/loop-device.js';

/**
 * The sync loop between two devices of one account, with the real server in a child process
 * (TLS 1.3, pinned), real vaults and the real WebSocket. The fallback poll is set to six
 * hours, so a change that reaches the other device in this test can only have come through
 * the socket's announcement.
 */
const PASSWORD = 'harbour lantern cedar 58';
const HOURS = 6 * 3_600_000;
/** Short backoffs, so the restart test converges soon after the server is back. */
const FAST = {
  loop: {
    pollMs: HOURS,
    rounds: { baseMs: 200, capMs: 2_000, floorMs: 50 },
    socket: { baseMs: 100, capMs: 1_000, floorMs: 50 },
  },
};

let server: SyncServerProcess;
let laptop: LoopDevice;
let desktop: LoopDevice;
const devices: LoopDevice[] = [];

beforeAll(async () => {
  server = await startSyncServerProcess();
  laptop = await loopDevice('Loop laptop');
  desktop = await loopDevice('Loop desktop');
  devices.push(laptop, desktop);
  const email = `loop-${process.pid}@example.test`;
  const { recoveryKey } = await laptop.account.register(targetOf(server), {
    email,
    password: PASSWORD,
  });
  await laptop.account.createWorkspace('Loop books');
  await desktop.account.login(targetOf(server), { email, password: PASSWORD, recoveryKey });
}, 180_000);

afterAll(async () => {
  for (const device of devices) {
    await device.loop?.stop();
    device.cleanup();
  }
  await server?.stop();
});

const targetFor = (running: SyncServerProcess) => ({
  url: running.url,
  fingerprint: running.fingerprint.replace(/^sha256:/, ''),
});

const isRound = (event: SyncLoopEvent): event is Extract<SyncLoopEvent, { type: 'round' }> =>
  event.type === 'round';

function payeesOf(device: LoopDevice): (string | null)[] {
  return device.transactions.list({ limit: 1_000 }).map((t) => t.payeeName);
}

/**
 * Resolves once the round the socket's opening asks for has finished: the loop's first round
 * starts at once, before the TLS connection is up, so the opening always asks for a second.
 */
function caughtUpOnSocket(device: LoopDevice): Promise<SyncLoopEvent> {
  return device.next((e) => isRound(e) && e.cause === 'socket');
}

/** Waits for a round on `device` that leaves `payee` in its vault. */
function arrival(device: LoopDevice, payee: string): Promise<SyncLoopEvent> {
  return device.next((event) => isRound(event) && payeesOf(device).includes(payee));
}

describe('the background sync loop', { timeout: 300_000 }, () => {
  it('will not start on a vault that is not signed in', async () => {
    const local = await loopDevice('Loop local');
    devices.push(local);
    expect(() => local.startLoop()).toThrow(expect.objectContaining({ code: 'SYNC_NOT_SET_UP' }));
    expect(local.loop).toBeUndefined();
  });

  it("device B receives device A's write through the socket's announcement", async () => {
    const ready = [laptop, desktop].map((device) => caughtUpOnSocket(device));
    laptop.startLoop(FAST);
    desktop.startLoop(FAST);
    // Both have caught up since their socket opened; what follows can only be announced.
    await Promise.all(ready);

    const heard = arrival(desktop, 'Bakery');
    laptop.accounts.create({ name: 'Checking', currency: 'EUR' });
    laptop.transactions.create({
      accountId: 'Checking',
      date: '2026-11-03',
      amountMinor: -450,
      payeeName: 'Bakery',
    });
    const event = await heard;
    expect(event).toMatchObject({ type: 'round', cause: 'announced' });
    const rounds = desktop.events.filter(isRound);
    expect(rounds.map((r) => r.cause)).not.toContain('poll');
    expect(desktop.transactions.list({ limit: 10 })).toEqual([
      expect.objectContaining({ amountMinor: -450, payeeName: 'Bakery' }),
    ]);
    // The laptop pushed on its own, soon after the write, and its outbox drained.
    expect(laptop.events.filter(isRound).map((r) => r.cause)).toContain('local');
    expect(laptop.vault.changes.pendingCount()).toBe(0);
    expect(laptop.loop?.status.current).toMatchObject({ state: 'synced' });
  });

  it('survives the server stopping: writes wait offline, then reconnect, push and converge', async () => {
    await server.halt();
    const offline = laptop.next(
      (e) => e.type === 'status' && e.status.state === 'offline' && e.status.queued > 0,
    );
    laptop.transactions.create({
      accountId: 'Checking',
      date: '2026-11-04',
      amountMinor: -1_299,
      payeeName: 'Bookshop',
    });
    const status = await offline;
    expect(status).toMatchObject({ status: { state: 'offline', queued: 2 } });
    expect(laptop.vault.changes.pendingCount()).toBeGreaterThan(0);
    // The desktop's socket noticed too.
    expect(desktop.events.some((e) => e.type === 'socket' && !e.connected)).toBe(true);

    const converged = arrival(desktop, 'Bookshop');
    await server.start();
    await converged;
    expect(laptop.vault.changes.pendingCount()).toBe(0);
    expect(payeesOf(desktop).sort()).toEqual(['Bakery', 'Bookshop']);
    // The desktop's socket is back (the revocation test below relies on it).
    const lastSocket = desktop.events.filter((e) => e.type === 'socket').at(-1);
    if (!(lastSocket?.type === 'socket' && lastSocket.connected)) {
      await desktop.next((e) => e.type === 'socket' && e.connected);
    }
  });

  it('a push with no key change due reads the key state once, not the whole key directory', async () => {
    // Spies that count and call through: the requests still reach the real server.
    const directory = (
      ['ownKeys', 'deviceKeys', 'memberKeyDirectory', 'ownWorkspaceKeys'] as const
    ).map((name) => vi.spyOn(AccountApiClient.prototype, name));
    const state = vi.spyOn(AccountApiClient.prototype, 'keyState');
    try {
      const heard = arrival(desktop, 'Greengrocer');
      laptop.transactions.create({
        accountId: 'Checking',
        date: '2026-11-04',
        amountMinor: -720,
        payeeName: 'Greengrocer',
      });
      await heard;
      expect(laptop.vault.changes.pendingCount()).toBe(0);
      expect(state).toHaveBeenCalled();
      expect(directory.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0, 0]);
    } finally {
      for (const spy of [...directory, state]) spy.mockRestore();
    }
  });

  it('a revoked session ends the loop with SESSION_REVOKED and the vault is crypto-shredded', async () => {
    const sessions = await laptop.account.sessions();
    const desktopSession = sessions.find((s) => s.deviceName === 'Loop desktop');
    expect(desktopSession).toBeDefined();
    await laptop.account.revokeSession(desktopSession!.id, { password: PASSWORD });
    // The laptop's next write makes the server announce; it closes the revoked session's
    // socket (4401) instead, and the desktop's loop meets SESSION_REVOKED over HTTP.
    const laptopPushed = laptop.next((e) => isRound(e) && e.result.pushed > 0);
    laptop.transactions.create({
      accountId: 'Checking',
      date: '2026-11-05',
      amountMinor: -800,
      payeeName: 'Florist',
    });
    const end = await desktop.loop!.done;
    expect(end).toMatchObject({ reason: 'failed', error: { code: 'SESSION_REVOKED' } });
    expect(desktop.loop!.status.current).toMatchObject({
      state: 'error',
      code: 'SESSION_REVOKED',
      retryAt: null,
    });
    expect(existsSync(vaultDbPath(desktop.dir))).toBe(false);
    expect(await desktop.keyStore.get(desktop.vault.vaultId)).toBeNull();
    // The laptop's loop is untouched by it.
    await laptopPushed;
    expect(laptop.loop?.status.current.state).not.toBe('error');
  });

  it("a refused upgrade ends the socket with the server's error, as an HTTP call would get it", async () => {
    const status = await laptop.account.status(false);
    const workspaceId = status.signedIn ? (status.workspace?.id ?? '') : '';
    const end = await new Promise<SocketEnd>((resolve) => {
      openSyncSocket(targetFor(server), workspaceId, 'x'.repeat(43), {
        onOpen: () => resolve({ code: -1, reason: 'opened' }),
        onSeq: () => undefined,
        onEnd: resolve,
      });
    });
    expect(end.error?.code).toBe('SESSION_ENDED');
    expect(end.error?.details).toMatchObject({ status: 401, serverCode: 'UNAUTHENTICATED' });
  });

  it('refuses a WebSocket to a server whose certificate is not the pinned one, sending nothing', async () => {
    const laptopAccount = await laptop.account.status(false);
    expect(laptopAccount.signedIn).toBe(true);
    const workspaceId = laptopAccount.signedIn ? (laptopAccount.workspace?.id ?? '') : '';
    const real = server.fingerprint.replace(/^sha256:/, '');
    // Every byte inverted: provably not the server's fingerprint.
    const wrong = Buffer.from(Buffer.from(real, 'hex').map((byte) => byte ^ 0xff)).toString('hex');
    expect(wrong).not.toBe(real);

    const token = 'a-bearer-token-that-must-never-leave-this-process';
    const opened: string[] = [];
    const ended = (url: string): Promise<SocketEnd> =>
      new Promise((resolve) => {
        openSyncSocket({ url, fingerprint: wrong }, workspaceId, token, {
          onOpen: () => opened.push(url),
          onSeq: () => undefined,
          onEnd: resolve,
        });
      });

    const fromServer = await ended(server.url);
    expect(fromServer.error?.code).toBe('CERT_PIN_MISMATCH');

    // The same against a TLS server with the real certificate that counts what reaches it.
    const tlsDir = path.join(server.dataDir, 'tls');
    let received = 0;
    const recorder = tls.createServer(
      {
        cert: await readFile(path.join(tlsDir, 'server.crt'), 'utf8'),
        key: await readFile(path.join(tlsDir, 'server.key'), 'utf8'),
        minVersion: 'TLSv1.3',
      },
      (socket) => {
        socket.on('data', (chunk: Buffer) => (received += chunk.length));
        socket.on('error', () => undefined);
      },
    );
    recorder.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    try {
      const port = (recorder.address() as AddressInfo).port;
      const fromRecorder = await ended(`https://127.0.0.1:${port}`);
      expect(fromRecorder.error?.code).toBe('CERT_PIN_MISMATCH');
      expect(fromRecorder.error?.message).not.toContain(token);
      expect(received).toBe(0);
    } finally {
      await new Promise<void>((resolve) => recorder.close(() => resolve()));
    }
    expect(opened).toEqual([]);
  });
});
