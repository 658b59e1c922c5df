/**
 * Child process for the clock crash test; run with
 * `node --import tsx record-then-crash.child.ts DIR KEY_FILE WALL_MS`.
 * Opens the vault with its clock at WALL_MS, commits a few changes, prints the last HLC as
 * one JSON line and SIGKILLs itself: nothing after the commits runs, as in a power cut.
 */
import { KeyFileKeyStore } from '../../vault/key-file.key-store.js';
import { openVault } from '../../vault/vault.js';

const [dir, keyFile, wallMs] = process.argv.slice(2);
if (dir === undefined || keyFile === undefined || wallMs === undefined) {
  throw new Error('usage: record-then-crash.child.ts DIR KEY_FILE WALL_MS');
}
const vault = await openVault({
  dir,
  keyStore: new KeyFileKeyStore(keyFile),
  now: () => Number(wallMs),
});
let lastHlc = '';
for (let i = 0; i < 3; i++) {
  lastHlc = vault.transaction(
    () => vault.changes.record('payees', `p${i}`, 'upsert', { name: `Payee ${i}` }).hlc,
  );
}
process.stdout.write(JSON.stringify({ lastHlc }) + '\n', () => {
  process.kill(process.pid, 'SIGKILL');
});
