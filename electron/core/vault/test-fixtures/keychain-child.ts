/**
 * Child process for keychain and crash tests; run with `node --import tsx keychain-child.ts MODE DIR`.
 * Prints one JSON line with the outcome. Modes:
 *   probe   read a key from the OS keychain
 *   create  create a vault in DIR keyed from the OS keychain
 *   rekey   open the vault in DIR from the OS keychain and rotate its key; with
 *           COFFER_FAULT_INJECT set it SIGKILLs itself at that point and prints nothing
 *   recovery-key-new
 *           open the vault in DIR from the OS keychain and give it a new Recovery Key,
 *           printing `{"shown": KEY}` the moment the key is shown (a crash after that point
 *           leaves that line last), then the outcome
 *   restart-read ROUNDS
 *           store a key, then ROUNDS times: freeze the Secret Service's daemon, start reading
 *           the key, kill the daemon while the read waits for it, and count the reads that
 *           returned the key (run it under its own with-keyring.sh: it kills that daemon)
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import { KeychainKeyStore } from '../keychain.key-store.js';
import { newRecoveryKey } from '../new-recovery-key.service.js';
import { rekeyVault } from '../rekey.service.js';
import { createVault, openVault } from '../vault.js';

async function main(): Promise<unknown> {
  const [mode, dir] = process.argv.slice(2);
  const keyStore = new KeychainKeyStore();
  switch (mode) {
    case 'probe':
      return { ok: true, found: (await keyStore.get(uuidv7())) !== null };
    case 'create': {
      const vault = await createVault({ dir: requireDir(dir), keyStore });
      vault.close();
      return { ok: true, vaultId: vault.vaultId };
    }
    case 'rekey':
      return { ok: true, ...(await rekeyVault(requireDir(dir), keyStore)) };
    case 'recovery-key-new': {
      const vault = await openVault({ dir: requireDir(dir), keyStore });
      try {
        const result = await newRecoveryKey(vault, keyStore, ({ recoveryKey }) => {
          // Synchronous, so the line is out before a crash point right after showing.
          writeSync(1, JSON.stringify({ shown: recoveryKey }) + '\n');
        });
        return { ok: true, ...result };
      } finally {
        vault.close();
      }
    }
    case 'restart-read':
      return { ok: true, ...(await readThroughRestarts(keyStore, Number(dir))) };
    default:
      throw new Error(`unknown mode ${String(mode)}`);
  }
}

async function readThroughRestarts(
  keyStore: KeychainKeyStore,
  rounds: number,
): Promise<{ rounds: number; read: number }> {
  const vaultId = uuidv7();
  const key = Buffer.alloc(32, 0xa7);
  await keyStore.set(vaultId, key);
  let read = 0;
  for (let round = 0; round < rounds; round++) {
    const daemon = secretServicePid();
    // Frozen, the daemon takes the request but cannot answer it; another process kills it
    // while the read waits (this one may be waiting inside the keychain call).
    process.kill(daemon, 'SIGSTOP');
    const killer = spawn('sh', ['-c', `sleep 0.15; kill -KILL ${daemon}`], { stdio: 'ignore' });
    const killed = new Promise((resolve) => killer.on('exit', resolve));
    const reading = keyStore.get(vaultId).catch(() => null);
    await killed;
    const got = await reading;
    if (got?.equals(key) === true) read++;
  }
  await keyStore.delete(vaultId);
  return { rounds, read };
}

/** The pid of the process that owns org.freedesktop.secrets on the session bus. */
function secretServicePid(): number {
  const busCall = (...args: string[]): string =>
    execFileSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        ...args,
      ],
      { encoding: 'utf8' },
    );
  // A killed daemon is not started again until something asks for it.
  busCall('org.freedesktop.DBus.StartServiceByName', 'string:org.freedesktop.secrets', 'uint32:0');
  const reply = busCall(
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    'string:org.freedesktop.secrets',
  );
  const pid = /uint32 (\d+)/.exec(reply)?.[1];
  if (pid === undefined) throw new Error(`no Secret Service owner in: ${reply}`);
  return Number(pid);
}

function requireDir(dir: string | undefined): string {
  if (dir === undefined) throw new Error('DIR is required');
  return dir;
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  },
  (error: unknown) => {
    const out = isCofferError(error)
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'UNEXPECTED', message: String(error) };
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exitCode = 1;
  },
);
