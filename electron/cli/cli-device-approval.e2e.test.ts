import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { openUserKeyOnDevice } from '../core/sync/crypto/user-key.js';
import { generateX25519KeyPair, importPrivateKey } from '../core/sync/crypto/x25519-key-pair.js';
import { SyncAccountRepository } from '../core/sync/sync-account.repository.js';
import { startCliProcess } from './testing/background-cli.js';
import type { BackgroundCli } from './testing/background-cli.js';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import type { CliError } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';

/**
 * Device approval end to end: a second device signs in with its password and waits; the
 * first device lists the request, checks the code and approves (or is refused). The real
 * server in a child process (TLS 1.3, pinned), the CLI in child processes, real vaults and
 * the real OS keychain.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-approval-');
const PASSWORD = 'amber harbour violin 58';
const ADDRESS = `approval-${process.pid}@example.test`;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let server: SyncServerProcess;
let laptop: string;

interface Listed {
  requests: { id: string; code: string; deviceName: string; ageSeconds: number }[];
}

const serverDb = () => new Database(join(server.dataDir, 'coffer-server.db'));

function approvalRow(id: string): { state: string; sealed_user_key: Buffer | null } {
  const db = serverDb();
  try {
    return db
      .prepare('SELECT state, sealed_user_key FROM device_approvals WHERE id = ?')
      .get(id) as { state: string; sealed_user_key: Buffer | null };
  } finally {
    db.close();
  }
}

/** A device signing in with --approve, once it has printed its code. */
async function waitingDevice(
  name: string,
): Promise<{ vault: string; run: BackgroundCli; id: string; code: string }> {
  const vault = await initScratchVault(scratch, name);
  const run = startCliProcess(
    ['--vault', vault, '--json', 'sync', 'login', ...accountArgs(server, ADDRESS), '--approve'],
    `${PASSWORD}\n`,
  );
  const shown = await run.stderrMatch(
    /approval code ([0-9A-Z]{4}-[0-9A-Z]{4}) \(request ([0-9a-f-]{36})\)/,
  );
  return { vault, run, code: shown[1] ?? '', id: shown[2] ?? '' };
}

/** Each character moved one place along the alphabet: never the code it stands against. */
const otherCode = (code: string): string =>
  code.replace(/[0-9A-Z]/g, (c) => ALPHABET[(ALPHABET.indexOf(c) + 1) % ALPHABET.length] ?? c);

/** The `{"error":…}` a failed --json run writes last on stderr, after its progress lines. */
function lastError(stderr: string): CliError {
  const last = stderr.trim().split('\n').at(-1) ?? '';
  return (JSON.parse(last) as { error: CliError }).error;
}

beforeAll(async () => {
  server = await startSyncServerProcess();
  laptop = await initScratchVault(scratch, 'laptop');
  await cliOk(laptop, ['sync', 'register', ...accountArgs(server, ADDRESS)], `${PASSWORD}\n`);
  await cliOk(laptop, ['workspace', 'create', '--name', 'Studio books']);
  await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
  await cliOk(laptop, [
    'tx',
    'add',
    '--account',
    'Checking',
    '--amount',
    '-89.90',
    '--date',
    '2026-11-03',
    '--payee',
    'Print shop',
  ]);
  expect((await cliOk(laptop, ['sync']))['refused']).toEqual([]);
}, 180_000);
afterAll(async () => server?.stop());

describe('device approval through the CLI', { timeout: 600_000 }, () => {
  it('a second device shows a code, the first approves it with that code, and the second then syncs the workspace', async () => {
    const desktop = await waitingDevice('desktop');

    const listed = (await cliOk(laptop, ['devices', 'list'])) as unknown as Listed;
    expect(listed.requests).toEqual([
      expect.objectContaining({
        id: desktop.id,
        code: desktop.code,
        deviceName: expect.stringContaining('coffer CLI on') as unknown,
      }),
    ]);
    const approved = await cliOk(
      laptop,
      ['devices', 'approve', desktop.id, '--code', desktop.code.toLowerCase(), '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(approved).toMatchObject({ approved: desktop.id, code: desktop.code });

    const signedIn = await desktop.run.done;
    expect(signedIn.code, signedIn.stderr).toBe(0);
    expect(JSON.parse(signedIn.stdout)).toMatchObject({ email: ADDRESS });
    const pulled = await cliOk(desktop.vault, ['sync']);
    expect(pulled['refused']).toEqual([]);
    const txs = (await cliOk(desktop.vault, ['tx', 'list'])) as {
      transactions?: { amountMinor: number; payeeName: string }[];
    };
    expect(txs.transactions).toEqual([
      expect.objectContaining({ amountMinor: -8_990, payeeName: 'Print shop' }),
    ]);
    expect((await cliOk(laptop, ['devices', 'list']))['requests']).toEqual([]);

    // The box the server relayed opens with the desktop's device key, to the account's user
    // key, and with no other key.
    const row = approvalRow(desktop.id);
    expect(row.state).toBe('approved');
    const box = row.sealed_user_key ?? Buffer.alloc(0);
    const db = serverDb();
    const userKey = db.prepare('SELECT user_id, public_key FROM user_keys').get() as {
      user_id: string;
      public_key: Buffer;
    };
    db.close();
    const expected = { userId: userKey.user_id, version: 1, publicKey: userKey.public_key };
    const vault = await openVault({ dir: desktop.vault, keyStore: new KeychainKeyStore() });
    let devicePrivateKey: Buffer;
    try {
      devicePrivateKey = Buffer.from(
        new SyncAccountRepository(vault.db).account()?.devicePrivateKey ?? [],
      );
    } finally {
      vault.close();
    }
    const device = importPrivateKey(devicePrivateKey);
    const opened = openUserKeyOnDevice(box, desktop.id, device, expected);
    expect(opened.pair.publicKey.equals(userKey.public_key)).toBe(true);
    const stranger = generateX25519KeyPair();
    expect(stranger.publicKey.equals(device.publicKey)).toBe(false);
    expect(() => openUserKeyOnDevice(box, desktop.id, stranger, expected)).toThrow(
      expect.objectContaining({ code: 'KEY_UNWRAP_FAILED' }),
    );
  });

  it('a wrong code approves nothing; a denial sends the waiting device away with nothing stored', async () => {
    const phone = await waitingDevice('phone');
    const wrong = otherCode(phone.code);
    expect(wrong).not.toBe(phone.code);
    const refused = await cliFailed(
      laptop,
      ['devices', 'approve', phone.id, '--code', wrong, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(refused.code).toBe(1);
    expect(refused.error.code).toBe('APPROVAL_CODE_MISMATCH');
    expect(approvalRow(phone.id)).toEqual({ state: 'pending', sealed_user_key: null });

    expect(await cliOk(laptop, ['devices', 'deny', phone.id])).toEqual({ denied: phone.id });
    const ended = await phone.run.done;
    expect(ended.code).toBe(1);
    expect(lastError(ended.stderr).code).toBe('DEVICE_APPROVAL_DENIED');
    expect((await cliOk(phone.vault, ['sync', 'status']))['signedIn']).toBe(false);
  });

  it('an expired request is refused on the approving device and ends the wait on the new one', async () => {
    const tablet = await waitingDevice('tablet');
    const db = serverDb();
    try {
      // The approving device applies the 15 minutes itself too (the server's clock may be
      // off): the request as the server lists it is dated 16 minutes ago.
      db.prepare('UPDATE device_approvals SET created_at = created_at - ? WHERE id = ?').run(
        16 * 60_000,
        tablet.id,
      );
    } finally {
      db.close();
    }
    const late = await cliFailed(
      laptop,
      ['devices', 'approve', tablet.id, '--code', tablet.code, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(late.error.code).toBe('DEVICE_APPROVAL_EXPIRED');
    expect(approvalRow(tablet.id).state).toBe('pending');

    // Past its expiry on the server's clock, the new device's wait ends, nothing stored.
    const again = serverDb();
    try {
      again
        .prepare('UPDATE device_approvals SET expires_at = ? WHERE id = ?')
        .run(Date.now() - 1_000, tablet.id);
    } finally {
      again.close();
    }
    const ended = await tablet.run.done;
    expect(ended.code).toBe(1);
    expect(lastError(ended.stderr).code).toBe('DEVICE_APPROVAL_EXPIRED');
    expect((await cliOk(tablet.vault, ['sync', 'status']))['signedIn']).toBe(false);
    const gone = await cliFailed(
      laptop,
      ['devices', 'approve', tablet.id, '--code', tablet.code, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(gone.error.code).toBe('NOT_FOUND');
    expect(approvalRow(tablet.id).state).toBe('pending');
  });
});
