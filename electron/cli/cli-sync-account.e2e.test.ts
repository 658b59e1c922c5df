import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import {
  formatAccountRecoveryKey,
  generateAccountRecoverySecret,
} from '../core/sync/crypto/account-recovery-key.js';
import { generateX25519KeyPair } from '../core/sync/crypto/x25519-key-pair.js';
import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { enableTotp } from '../core/sync/client/testing/totp-account.js';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';
import { runCliProcess } from './testing/run-cli-process.js';

/**
 * The sync account end to end: the real server in a child process (TLS 1.3, self-signed,
 * an OS port, pinned by the fingerprint it prints), the CLI in child processes, real
 * vaults and the real OS keychain (gnome-keyring under with-keyring.sh).
 * @module-tag secret-service
 */
const keychain = new KeychainKeyStore();
const scratch = keychainScratch('coffer-cli-sync-');
const PASSWORD = 'violet anchor meadow 42';
/** 56 Crockford base32 characters in 14 groups of 4. */
const ACCOUNT_RECOVERY_KEY = /^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/;

let server: SyncServerProcess;
let counter = 0;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const email = (name: string): string => `${name}-${process.pid}-${(counter += 1)}@example.test`;

const newVault = (name: string): Promise<string> => initScratchVault(scratch, name);
const serverArgs = (address: string): string[] => accountArgs(server, address);

async function register(vault: string, address: string): Promise<string> {
  const done = await cliOk(vault, ['sync', 'register', ...serverArgs(address)], `${PASSWORD}\n`);
  return String(done['recoveryKey']);
}

async function status(vault: string): Promise<Record<string, unknown>> {
  return cliOk(vault, ['sync', 'status']);
}

describe('sync account, workspaces and sessions through the CLI', { timeout: 600_000 }, () => {
  it('register shows the Account Recovery Key once, in groups, and never stores it', async () => {
    const vault = await newVault('shown');
    const address = email('shown');
    const run = await runCliProcess(
      ['--vault', vault, 'sync', 'register', ...serverArgs(address)],
      { stdin: `${PASSWORD}\n` },
    );
    expect(run.code, run.stderr).toBe(0);
    const shown = run.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => ACCOUNT_RECOVERY_KEY.test(line));
    expect(shown).toHaveLength(1);
    expect(run.stdout).toMatch(/shown this once/);
    const key = shown[0] ?? '';
    // The vault (SQLCipher) and vault.json hold no copy, in no form a scan would find.
    for (const name of readdirSync(vault)) {
      const bytes = readFileSync(join(vault, name));
      expect(bytes.includes(Buffer.from(key))).toBe(false);
      expect(bytes.includes(Buffer.from(key.replace(/-/g, '')))).toBe(false);
    }
    const after = await status(vault);
    expect(after).toMatchObject({ signedIn: true, email: address, session: 'active' });
    expect(JSON.stringify(after)).not.toContain(key);

    // The session token and private keys are in the vault, encrypted: never on disk in the
    // clear, never in the status output.
    const opened = await openVault({ dir: vault, keyStore: keychain });
    const secrets = opened.db
      .prepare('SELECT session_token, device_private_key, user_private_key FROM sync_account')
      .get() as { session_token: string; device_private_key: Buffer; user_private_key: Buffer };
    opened.close();
    expect(secrets.session_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const statusText = JSON.stringify(after);
    expect(statusText).not.toContain(secrets.session_token);
    for (const name of readdirSync(vault)) {
      const bytes = readFileSync(join(vault, name));
      expect(bytes.includes(Buffer.from(secrets.session_token)), name).toBe(false);
      expect(bytes.includes(secrets.device_private_key), name).toBe(false);
      expect(bytes.includes(secrets.user_private_key), name).toBe(false);
      expect(
        bytes.includes(Buffer.from(secrets.user_private_key.toString('base64url'))),
        name,
      ).toBe(false);
    }
    // A second register in the same vault is refused.
    const again = await cliFailed(
      vault,
      ['sync', 'register', ...serverArgs(email('again'))],
      `${PASSWORD}\n`,
    );
    expect(again.error.code).toBe('CONFLICT');
  });

  it('a second device signs in with password, TOTP and Recovery Key and holds the same keys; a wrong Recovery Key stores nothing', async () => {
    const first = await newVault('first');
    const address = email('twofactor');
    const recoveryKey = await register(first, address);
    expect(recoveryKey).toMatch(ACCOUNT_RECOVERY_KEY);
    await cliOk(first, ['workspace', 'create', '--name', 'Household books']);

    // Turn on TOTP for the account, from a session of its own.
    const totp = await enableTotp(server, address, PASSWORD);

    // A well-formed Recovery Key that is provably not this account's.
    let wrong = formatAccountRecoveryKey(generateAccountRecoverySecret());
    while (wrong === recoveryKey) wrong = formatAccountRecoveryKey(generateAccountRecoverySecret());
    const refusedVault = await newVault('refused');
    const loginArgs = [
      'sync',
      'login',
      ...serverArgs(address),
      '--code-stdin',
      '--recovery-key-stdin',
    ];
    const refused = await cliFailed(
      refusedVault,
      loginArgs,
      `${PASSWORD}\n${await totp.nextCode()}\n${wrong}\n`,
    );
    expect(refused.error.code).toBe('RECOVERY_KEY_WRONG');
    expect(refused.stderr).not.toContain(wrong);
    expect(await status(refusedVault)).toMatchObject({ signedIn: false });

    // Without the code the login is refused and says how to give it.
    const noCode = await cliFailed(
      await newVault('nocode'),
      ['sync', 'login', ...serverArgs(address), '--recovery-key-stdin'],
      `${PASSWORD}\n${recoveryKey}\n`,
    );
    expect(noCode.error.code).toBe('AUTH_FAILED');

    const second = await newVault('second');
    await cliOk(
      second,
      loginArgs,
      `${PASSWORD}\n${await totp.nextCode()}\n${recoveryKey.toLowerCase()}\n`,
    );
    const [a, b] = [await status(first), await status(second)];
    // The same user key on both (its public half derived from the private key each vault holds)…
    expect(b['userKeyFingerprint']).toBe(a['userKeyFingerprint']);
    expect(b['sessionId']).not.toBe(a['sessionId']);
    // …and with it the second device opened the workspace key: it reads the sealed name.
    expect(b['workspace']).toMatchObject({
      name: 'Household books',
      role: 'admin',
      keyVersions: [1],
    });
    expect(a['workspace']).toMatchObject({ name: 'Household books', keyVersions: [1] });
  });

  it('workspace create, invite, join, members, role and remove between two accounts; a swapped member key is refused', async () => {
    const adminVault = await newVault('admin');
    const memberVault = await newVault('member');
    const adminEmail = email('admin');
    const memberEmail = email('member');
    await register(adminVault, adminEmail);
    await register(memberVault, memberEmail);
    // Signed in but in no workspace, the vault is still local-only: it keeps no outbox.
    expect((await cliOk(adminVault, ['status']))['recordingChanges']).toBe(false);
    const created = await cliOk(adminVault, ['workspace', 'create', '--name', 'Studio Ltd']);
    const workspaceId = String(created['workspaceId']);
    expect((await cliOk(adminVault, ['status']))['recordingChanges']).toBe(true);

    const viewerRefused = await cliFailed(memberVault, ['workspace', 'members']);
    expect(viewerRefused.error.code).toBe('INVALID_STATE');

    const invite = await cliOk(adminVault, [
      'workspace',
      'invite',
      '--email',
      memberEmail,
      '--role',
      'member',
    ]);
    const joined = await cliOk(memberVault, ['workspace', 'join', String(invite['token'])]);
    expect(joined).toMatchObject({ workspaceId, role: 'member', keyReady: false });
    expect((await cliOk(memberVault, ['status']))['recordingChanges']).toBe(true);

    // The admin's device pins the member's key and seals the workspace key to it.
    const listed = (await cliOk(adminVault, ['workspace', 'members'])) as {
      members: { email: string; role: string; hasKey: boolean; keyFingerprint: string }[];
      sealedTo: string[];
    };
    expect(listed.sealedTo).toEqual([memberEmail]);
    expect(listed.members.map((m) => [m.email, m.role, m.hasKey]).sort()).toEqual(
      [
        [adminEmail, 'admin', true],
        [memberEmail, 'member', true],
      ].sort(),
    );
    const memberStatus = await status(memberVault);
    expect(memberStatus['workspace']).toMatchObject({
      id: workspaceId,
      name: 'Studio Ltd',
      keyVersions: [1],
    });

    // The member may not invite (the server's role matrix), and nothing changes.
    const notAdmin = await cliFailed(memberVault, [
      'workspace',
      'invite',
      '--email',
      email('x'),
      '--role',
      'viewer',
    ]);
    expect([
      notAdmin.error.code,
      (notAdmin.error as { details?: { serverCode?: string } }).details?.serverCode,
    ]).toEqual(['SERVER_REFUSED', 'FORBIDDEN_ROLE']);

    await cliOk(
      adminVault,
      ['workspace', 'role', '--email', memberEmail, '--role', 'viewer', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    const afterRole = (await cliOk(memberVault, ['workspace', 'members'])) as {
      members: { email: string; role: string }[];
    };
    expect(afterRole.members.find((m) => m.email === memberEmail)?.role).toBe('viewer');

    // The server swaps the member's user key for one of its own: the admin refuses it.
    const db = new Database(join(server.dataDir, 'coffer-server.db'));
    try {
      const swapped = generateX25519KeyPair().publicKey;
      const memberId = String(memberStatus['userId']);
      const before = db
        .prepare('SELECT public_key FROM user_keys WHERE user_id = ?')
        .pluck()
        .get(memberId) as Buffer;
      expect(swapped.equals(before)).toBe(false);
      db.prepare('UPDATE user_keys SET public_key = ? WHERE user_id = ?').run(swapped, memberId);
    } finally {
      db.close();
    }
    const refusedKey = await cliFailed(adminVault, ['workspace', 'members']);
    expect(refusedKey.error.code).toBe('PINNED_KEY_MISMATCH');
    expect(refusedKey.error.message).toContain(memberEmail);

    const wrongPassword = await cliFailed(
      adminVault,
      ['workspace', 'remove', '--email', memberEmail, '--password-stdin'],
      'not the password at all\n',
    );
    expect(wrongPassword.error.code).toBe('AUTH_FAILED');
    await cliOk(
      adminVault,
      ['workspace', 'remove', '--email', memberEmail, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    // The member held the workspace key: their device is told, and shreds the workspace.
    const gone = await cliFailed(memberVault, ['workspace', 'members']);
    expect(gone.error.code).toBe('MEMBER_REMOVED');
    expect(existsSync(join(memberVault, 'coffer.vault'))).toBe(false);
  });

  it('sessions list marks the current one; a revoked device is crypto-shredded at its next command', async () => {
    const laptop = await newVault('laptop');
    const address = email('devices');
    const recoveryKey = await register(laptop, address);
    const phone = await newVault('phone');
    await cliOk(
      phone,
      ['sync', 'login', ...serverArgs(address), '--recovery-key-stdin'],
      `${PASSWORD}\n${recoveryKey}\n`,
    );
    const phoneVaultId = String((await cliOk(phone, ['status']))['vaultId']);
    const phoneSession = String((await status(phone))['sessionId']);
    expect(await keychain.get(phoneVaultId)).not.toBeNull();

    const listed = (await cliOk(laptop, ['sessions', 'list'])) as {
      sessions: { id: string; current: boolean }[];
    };
    const laptopSession = String((await status(laptop))['sessionId']);
    expect(listed.sessions.filter((s) => s.current).map((s) => s.id)).toEqual([laptopSession]);
    expect(listed.sessions.map((s) => s.id)).toContain(phoneSession);

    const own = await cliFailed(
      laptop,
      ['sessions', 'revoke', laptopSession, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(own.error.code).toBe('INVALID_INPUT');
    await cliOk(laptop, ['sessions', 'revoke', phoneSession, '--password-stdin'], `${PASSWORD}\n`);

    const shredded = await cliFailed(phone, ['sync', 'status']);
    expect(shredded.error.code).toBe('SESSION_REVOKED');
    expect(shredded.error.message).toMatch(/crypto-shredded/);
    expect(await keychain.get(phoneVaultId)).toBeNull();
    expect(existsSync(join(phone, 'coffer.vault'))).toBe(false);
    expect(existsSync(join(phone, 'vault.json'))).toBe(false);
    expect(readdirSync(phone).filter((name) => name.startsWith('coffer.vault'))).toEqual([]);
    // The laptop is untouched.
    expect(await status(laptop)).toMatchObject({ signedIn: true, session: 'active' });
  });
});
