import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { parseFingerprint } from './client/pinned-agent.js';
import { startSyncServerProcess } from './client/testing/sync-server-process.js';
import type { SyncServerProcess } from './client/testing/sync-server-process.js';
import { generateX25519KeyPair } from './crypto/x25519-key-pair.js';
import { SyncAccountService, type ServerTarget } from './sync-account.service.js';

/**
 * The device rotating a user key trusts nothing the server lists unchecked: a Recovery Key
 * the current statement does not name, or a device key the user key never certified, stops
 * the rotation before anything is sealed or uploaded. Real server (child process, TLS 1.3),
 * real vaults.
 */
const PASSWORD = 'amber quarry willow 31';
let server: SyncServerProcess;
const vaults: TempVault[] = [];

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => {
  for (const vault of vaults) vault.cleanup();
  await server?.stop();
});

const target = (): ServerTarget => ({
  serverUrl: server.url,
  fingerprint: parseFingerprint(server.fingerprint),
});

async function device(name: string): Promise<{ temp: TempVault; sync: SyncAccountService }> {
  const temp = await createTempVault();
  vaults.push(temp);
  return {
    temp,
    sync: new SyncAccountService({ vault: temp.vault, keyStore: temp.keyStore, deviceName: name }),
  };
}

function onServer<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(server.dataDir, 'coffer-server.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const newestUserKey = (userId: string): number =>
  onServer(
    (db) =>
      db
        .prepare('SELECT max(version) FROM user_keys WHERE user_id = ?')
        .pluck()
        .get(userId) as number,
  );

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCofferError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('rotating a user key checks what the server lists', { timeout: 300_000 }, () => {
  it('refuses a swapped Recovery Key and a device key the user never certified, uploading nothing', async () => {
    const address = `rotation-${process.pid}@example.test`;
    const laptop = await device('Laptop');
    const { recoveryKey, userId } = await laptop.sync.register(target(), {
      email: address,
      password: PASSWORD,
    });
    const signIn = async (name: string) => {
      const other = await device(name);
      await other.sync.login(target(), { email: address, password: PASSWORD, recoveryKey });
      const status = await other.sync.status(false);
      return { ...other, sessionId: status.signedIn ? status.sessionId : '' };
    };
    const phone = await signIn('Phone');

    // The server lists a Recovery Key of its own: the laptop's current statement names
    // another, so no version 2 is made for the server to open.
    const real = onServer(
      (db) =>
        db
          .prepare('SELECT recovery_public_key FROM user_keys WHERE user_id = ?')
          .pluck()
          .get(userId) as Buffer,
    );
    const swapped = generateX25519KeyPair().publicKey;
    expect(swapped.equals(real)).toBe(false);
    onServer((db) =>
      db
        .prepare('UPDATE user_keys SET recovery_public_key = ? WHERE user_id = ?')
        .run(swapped, userId),
    );
    expect(
      await refusal(laptop.sync.revokeSession(phone.sessionId, { password: PASSWORD })),
    ).toMatch(/^PINNED_KEY_MISMATCH: .*Recovery Key/);
    expect(newestUserKey(userId)).toBe(1);

    // With the real one back, the rotation still due runs at the laptop's next contact.
    onServer((db) =>
      db
        .prepare('UPDATE user_keys SET recovery_public_key = ? WHERE user_id = ?')
        .run(real, userId),
    );
    await laptop.sync.status();
    expect(newestUserKey(userId)).toBe(2);

    // The server swaps a remaining device's key for one of its own: its certificate fails.
    const tablet = await signIn('Tablet');
    const desktop = await signIn('Desktop');
    onServer((db) =>
      db
        .prepare(
          'UPDATE device_keys SET public_key = ? WHERE session_id = ? AND user_key_version = 2',
        )
        .run(generateX25519KeyPair().publicKey, tablet.sessionId),
    );
    expect(
      await refusal(laptop.sync.revokeSession(desktop.sessionId, { password: PASSWORD })),
    ).toMatch(new RegExp(`^PINNED_KEY_MISMATCH: .*${tablet.sessionId}`));
    expect(newestUserKey(userId)).toBe(2);
  });

  it('another device of the user takes a rotated key only when the key it holds signed it', async () => {
    const address = `adopt-${process.pid}@example.test`;
    const laptop = await device('Laptop');
    const { recoveryKey, userId } = await laptop.sync.register(target(), {
      email: address,
      password: PASSWORD,
    });
    const signIn = async (name: string) => {
      const other = await device(name);
      await other.sync.login(target(), { email: address, password: PASSWORD, recoveryKey });
      const status = await other.sync.status(false);
      return { ...other, sessionId: status.signedIn ? status.sessionId : '' };
    };
    const desktop = await signIn('Desktop');
    const phone = await signIn('Phone');
    const heldVersion = (temp: TempVault) =>
      temp.vault.db.prepare('SELECT user_key_version FROM sync_account').pluck().get() as number;
    await laptop.sync.revokeSession(phone.sessionId, { password: PASSWORD });
    expect(newestUserKey(userId)).toBe(2);

    // The server alters the link from version 1 to 2 (one bit of the signature): the desktop
    // keeps version 1 rather than take a key its own did not vouch for.
    const link = onServer(
      (db) =>
        db
          .prepare('SELECT previous_signature FROM user_keys WHERE user_id = ? AND version = 2')
          .pluck()
          .get(userId) as Buffer,
    );
    const forged = Buffer.from(link);
    forged[0] = (forged[0] as number) ^ 0x01;
    onServer((db) =>
      db
        .prepare('UPDATE user_keys SET previous_signature = ? WHERE user_id = ? AND version = 2')
        .run(forged, userId),
    );
    expect(await refusal(desktop.sync.status())).toMatch(/^PINNED_KEY_MISMATCH: .*did not sign/);
    expect(heldVersion(desktop.temp)).toBe(1);

    onServer((db) =>
      db
        .prepare('UPDATE user_keys SET previous_signature = ? WHERE user_id = ? AND version = 2')
        .run(link, userId),
    );
    await desktop.sync.status();
    expect(heldVersion(desktop.temp)).toBe(2);
  });
});
