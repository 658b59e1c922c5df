import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isCofferError } from '../../shared/errors/coffer-error.js';
import type { ChangeEnvelope } from '../../shared/sync/change-envelope.js';
import { parseFingerprint } from '../core/sync/client/pinned-agent.js';
import { SyncHttpClient } from '../core/sync/client/sync-http.client.js';
import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { decryptChange } from '../core/sync/crypto/change-cipher.js';
import { openWorkspaceKey } from '../core/sync/crypto/workspace-key.js';
import { WorkspaceKeyring } from '../core/sync/crypto/workspace-keyring.js';
import { importPrivateKey } from '../core/sync/crypto/x25519-key-pair.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';

/**
 * Key rotation on removal and revocation, end to end: the real server in a child process
 * (TLS 1.3, pinned), the CLI in child processes, real vaults and the real OS keychain. The
 * device that loses access is checked with the very keys it held.
 * @module-tag secret-service
 */
const keychain = new KeychainKeyStore();
const scratch = keychainScratch('coffer-cli-rotation-');
const PASSWORD = 'copper kettle harbour 19';

let server: SyncServerProcess;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;
const newVault = (name: string): Promise<string> => initScratchVault(scratch, name);

interface HeldKeys {
  vaultId: string;
  userId: string;
  userPrivateKey: Buffer;
  workspaceKeys: { version: number; key: Buffer }[];
}

/** What a device holds, read from its vault as an attacker holding that device would. */
async function heldKeys(dir: string): Promise<HeldKeys> {
  const vault = await openVault({ dir, keyStore: keychain });
  try {
    const account = vault.db
      .prepare('SELECT user_id, user_private_key FROM sync_account')
      .get() as { user_id: string; user_private_key: Buffer };
    const keys = vault.db
      .prepare('SELECT key_version, key FROM sync_workspace_keys ORDER BY key_version')
      .all() as { key_version: number; key: Buffer }[];
    return {
      vaultId: vault.vaultId,
      userId: account.user_id,
      userPrivateKey: Buffer.from(account.user_private_key),
      workspaceKeys: keys.map((k) => ({ version: k.key_version, key: Buffer.from(k.key) })),
    };
  } finally {
    vault.close();
  }
}

function serverDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(server.dataDir, 'coffer-server.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The workspace's changes under `keyVersion` as the server stores them. */
function envelopesUnder(workspaceId: string, keyVersion: number): ChangeEnvelope[] {
  return serverDb((db) =>
    (
      db
        .prepare(
          `SELECT change_id, collection, key_version, nonce, ciphertext FROM change_log
            WHERE workspace_id = ? AND key_version = ?`,
        )
        .all(workspaceId, keyVersion) as {
        change_id: string;
        collection: string;
        key_version: number;
        nonce: Buffer;
        ciphertext: Buffer;
      }[]
    ).map((row) => ({
      id: row.change_id,
      collection: row.collection as ChangeEnvelope['collection'],
      keyVersion: row.key_version,
      nonce: row.nonce.toString('base64url'),
      ciphertext: row.ciphertext.toString('base64url'),
    })),
  );
}

/**
 * True only if some key `held` has opens the change: each workspace key it holds is tried
 * under the change's version, and its user key against every box of that version.
 */
function canRead(held: HeldKeys, workspaceId: string, envelope: ChangeEnvelope): boolean {
  const candidates = [...held.workspaceKeys.map((k) => k.key)];
  const boxes = serverDb(
    (db) =>
      db
        .prepare(
          'SELECT user_id, sealed_key FROM workspace_keys WHERE workspace_id = ? AND key_version = ?',
        )
        .all(workspaceId, envelope.keyVersion) as { user_id: string; sealed_key: Buffer }[],
  );
  const userKey = importPrivateKey(held.userPrivateKey);
  for (const box of boxes) {
    try {
      candidates.push(
        openWorkspaceKey(
          {
            workspaceId,
            version: envelope.keyVersion,
            userId: box.user_id,
            sealed: box.sealed_key,
          },
          userKey,
        ).key,
      );
    } catch (error) {
      if (!isCofferError(error) || error.code !== 'KEY_UNWRAP_FAILED') throw error;
    }
  }
  return candidates.some((key) => {
    try {
      const ring = new WorkspaceKeyring(workspaceId, [
        { workspaceId, version: envelope.keyVersion, key },
      ]);
      decryptChange(envelope, ring);
      return true;
    } catch (error) {
      if (isCofferError(error) && error.code === 'CHANGE_DECRYPT_FAILED') return false;
      throw error;
    }
  });
}

async function expectShredded(dir: string, vaultId: string): Promise<void> {
  expect(await keychain.get(vaultId)).toBeNull();
  expect(readdirSync(dir).filter((name) => name.startsWith('coffer.vault'))).toEqual([]);
  expect(existsSync(join(dir, 'vault.json'))).toBe(false);
}

const addTx = (vault: string, payee: string) =>
  cliOk(vault, [
    'tx',
    'add',
    '--account',
    'Checking',
    '--amount',
    '-12.50',
    '--date',
    '2026-11-03',
    '--payee',
    payee,
  ]);

const payees = async (vault: string): Promise<string[]> =>
  (
    (await cliOk(vault, ['tx', 'list'])) as unknown as { transactions: { payeeName: string }[] }
  ).transactions
    .map((t) => t.payeeName)
    .sort();

async function register(vault: string, address: string): Promise<string> {
  const done = await cliOk(
    vault,
    ['sync', 'register', ...accountArgs(server, address)],
    `${PASSWORD}\n`,
  );
  return String(done['recoveryKey']);
}

/** `member` joins the admin's workspace with `role`; the admin's device seals the key to them. */
async function joinWorkspace(admin: string, member: string, address: string): Promise<void> {
  const invite = await cliOk(admin, [
    'workspace',
    'invite',
    '--email',
    address,
    '--role',
    'member',
  ]);
  await cliOk(member, ['workspace', 'join', String(invite['token'])]);
  await cliOk(admin, ['workspace', 'members']);
}

describe('key rotation through the CLI and the real server', { timeout: 600_000 }, () => {
  it('removal: the workspace key rotates, the removed member cannot read what follows, and is shredded at its next sync', async () => {
    const [a, b, c] = [await newVault('a'), await newVault('b'), await newVault('c')];
    const [aEmail, bEmail, cEmail] = [email('ann'), email('bob'), email('cat')];
    for (const [vault, address] of [
      [a, aEmail],
      [b, bEmail],
      [c, cEmail],
    ] as const) {
      await register(vault, address);
    }
    const created = await cliOk(a, ['workspace', 'create', '--name', 'Shared studio']);
    const workspaceId = String(created['workspaceId']);
    await joinWorkspace(a, b, bEmail);
    await joinWorkspace(a, c, cEmail);
    await cliOk(a, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    await addTx(a, 'Before removal');
    await cliOk(a, ['sync']);
    await cliOk(b, ['sync']);
    expect(await payees(b)).toEqual(['Before removal']);
    const bHeld = await heldKeys(b);
    expect(bHeld.workspaceKeys.map((k) => k.version)).toEqual([1]);

    const removed = await cliOk(
      a,
      ['workspace', 'remove', '--email', bEmail, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(removed).toMatchObject({ removed: true, workspaceKeyVersion: 2 });
    await addTx(a, 'After removal');
    await cliOk(a, ['sync']);

    // A's new change is under version 2, and nothing B holds opens it; the old ones B could
    // already read stay as they were (nothing was re-encrypted).
    const after = envelopesUnder(workspaceId, 2);
    expect(after.length).toBeGreaterThanOrEqual(1);
    for (const envelope of after) expect(canRead(bHeld, workspaceId, envelope)).toBe(false);
    const before = envelopesUnder(workspaceId, 1);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.every((envelope) => canRead(bHeld, workspaceId, envelope))).toBe(true);

    // C remains: reads both the change under version 1 and the one under version 2.
    await cliOk(c, ['sync']);
    expect(await payees(c)).toEqual(['After removal', 'Before removal']);
    expect(
      ((await cliOk(c, ['sync', 'status']))['workspace'] as { keyVersions: number[] }).keyVersions,
    ).toEqual([1, 2]);

    // B's next sync is told it was removed and shreds its vault.
    const shredded = await cliFailed(b, ['sync']);
    expect(shredded.error.code).toBe('MEMBER_REMOVED');
    expect(shredded.error.message).toMatch(/removed from the workspace/);
    expect(shredded.error.message).toMatch(/cannot be recalled/);
    await expectShredded(b, bHeld.vaultId);
    // A is untouched.
    expect(await payees(a)).toEqual(['After removal', 'Before removal']);
  });

  it('revocation: the user key and then the workspace key rotate; the revoked device is shredded, a third member still syncs', async () => {
    const laptop = await newVault('laptop');
    const phone = await newVault('phone');
    const cat = await newVault('cat');
    const [annEmail, catEmail] = [email('ann'), email('cat')];
    const recoveryKey = await register(laptop, annEmail);
    await register(cat, catEmail);
    const created = await cliOk(laptop, ['workspace', 'create', '--name', 'Household']);
    const workspaceId = String(created['workspaceId']);
    await cliOk(
      phone,
      ['sync', 'login', ...accountArgs(server, annEmail), '--recovery-key-stdin'],
      `${PASSWORD}\n${recoveryKey}\n`,
    );
    await joinWorkspace(laptop, cat, catEmail);
    // Cat pins Ann's user key (trust on first use) before the rotation.
    const catBefore = (await cliOk(cat, ['workspace', 'members'])) as {
      members: { email: string; keyFingerprint: string }[];
    };
    const annPinned = catBefore.members.find((m) => m.email === annEmail)?.keyFingerprint;
    expect(annPinned).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    await addTx(laptop, 'Groceries');
    await cliOk(laptop, ['sync']);
    await cliOk(phone, ['sync']);
    await cliOk(cat, ['sync']);
    expect(await payees(phone)).toEqual(['Groceries']);
    const phoneHeld = await heldKeys(phone);
    const userKeyVersion = () =>
      serverDb(
        (db) =>
          db
            .prepare('SELECT max(version) FROM user_keys WHERE user_id = ?')
            .pluck()
            .get(phoneHeld.userId) as number,
      );
    expect(userKeyVersion()).toBe(1);

    const phoneSession = String((await cliOk(phone, ['sync', 'status']))['sessionId']);
    const revoked = await cliOk(
      laptop,
      ['sessions', 'revoke', phoneSession, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(revoked).toMatchObject({
      revoked: phoneSession,
      userKeyVersion: 2,
      workspaceKeyVersion: 2,
    });
    expect(userKeyVersion()).toBe(2);

    await addTx(laptop, 'Pharmacy');
    await cliOk(laptop, ['sync']);
    for (const envelope of envelopesUnder(workspaceId, 2)) {
      expect(canRead(phoneHeld, workspaceId, envelope)).toBe(false);
    }
    expect(envelopesUnder(workspaceId, 2).length).toBeGreaterThanOrEqual(1);

    // The phone's next request: 401 SESSION_REVOKED, and its vault is shredded.
    const shredded = await cliFailed(phone, ['sync', 'status']);
    expect(shredded.error.code).toBe('SESSION_REVOKED');
    await expectShredded(phone, phoneHeld.vaultId);

    // Cat takes Ann's rotated key without a warning (it is signed by the key Cat pinned)
    // and still syncs, reading the change made after the rotation.
    const catAfter = (await cliOk(cat, ['workspace', 'members'])) as {
      members: { email: string; keyFingerprint: string }[];
    };
    expect(catAfter.members.find((m) => m.email === annEmail)?.keyFingerprint).not.toBe(annPinned);
    await cliOk(cat, ['sync']);
    expect(await payees(cat)).toEqual(['Groceries', 'Pharmacy']);
    expect(
      ((await cliOk(cat, ['sync', 'status']))['workspace'] as { keyVersions: number[] })
        .keyVersions,
    ).toEqual([1, 2]);
  });

  it('an admin revokes a member’s device: the member’s other device rotates the user key at its next sync, the admin’s the workspace key at its own', async () => {
    const ann = await newVault('ann');
    const bobLaptop = await newVault('bob-laptop');
    const bobPhone = await newVault('bob-phone');
    const [annEmail, bobEmail] = [email('ann'), email('bob')];
    await register(ann, annEmail);
    const bobRecovery = await register(bobLaptop, bobEmail);
    const created = await cliOk(ann, ['workspace', 'create', '--name', 'Agency']);
    const workspaceId = String(created['workspaceId']);
    await joinWorkspace(ann, bobLaptop, bobEmail);
    await cliOk(
      bobPhone,
      ['sync', 'login', ...accountArgs(server, bobEmail), '--recovery-key-stdin'],
      `${PASSWORD}\n${bobRecovery}\n`,
    );
    await cliOk(ann, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    await addTx(ann, 'Printer');
    await cliOk(ann, ['sync']);
    await cliOk(bobPhone, ['sync']);
    expect(await payees(bobPhone)).toEqual(['Printer']);
    const phoneHeld = await heldKeys(bobPhone);
    const phoneSession = String((await cliOk(bobPhone, ['sync', 'status']))['sessionId']);
    const bobKeyVersion = () =>
      serverDb(
        (db) =>
          db
            .prepare('SELECT max(version) FROM user_keys WHERE user_id = ?')
            .pluck()
            .get(phoneHeld.userId) as number,
      );

    // Ann revokes Bob's phone from the admin's session list; she holds no key of Bob's.
    const http = new SyncHttpClient({
      url: server.url,
      fingerprint: parseFingerprint(server.fingerprint),
    });
    try {
      const grant = await http.request<{ token: string }>('POST', '/v1/auth/login', {
        body: { email: annEmail, password: PASSWORD, deviceName: 'Admin console' },
      });
      await http.request('POST', '/v1/auth/step-up', {
        token: grant.token,
        body: { password: PASSWORD },
      });
      await http.request('DELETE', `/v1/workspaces/${workspaceId}/sessions/${phoneSession}`, {
        token: grant.token,
      });
    } finally {
      http.close();
    }
    expect(bobKeyVersion()).toBe(1);

    // Bob's laptop rotates his user key at its next sync; Ann's device then the workspace key.
    await cliOk(bobLaptop, ['sync']);
    expect(bobKeyVersion()).toBe(2);
    await cliOk(ann, ['sync']);
    const annStatus = await cliOk(ann, ['sync', 'status']);
    expect((annStatus['workspace'] as { keyVersions: number[] }).keyVersions).toEqual([1, 2]);

    await addTx(ann, 'Courier');
    await cliOk(ann, ['sync']);
    const after = envelopesUnder(workspaceId, 2);
    expect(after.length).toBeGreaterThanOrEqual(1);
    for (const envelope of after) expect(canRead(phoneHeld, workspaceId, envelope)).toBe(false);
    await cliOk(bobLaptop, ['sync']);
    expect(await payees(bobLaptop)).toEqual(['Courier', 'Printer']);

    const shredded = await cliFailed(bobPhone, ['sync']);
    expect(shredded.error.code).toBe('SESSION_REVOKED');
    await expectShredded(bobPhone, phoneHeld.vaultId);
  });
});
