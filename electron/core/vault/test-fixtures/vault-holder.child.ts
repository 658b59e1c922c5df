/**
 * Child process that keeps a vault busy for tests of what another process sees; run with
 * `node --import tsx vault-holder.child.ts MODE DIR KEY_FILE`. It prints `{"ready":true}`
 * once it holds the vault and lets go when its stdin closes, then prints a summary line.
 * Modes:
 *   open        keep a connection open (no transaction)
 *   write-lock  hold a write transaction (BEGIN IMMEDIATE), as a long import would
 *   writer      commit batches of rows into `holder_probe` until stdin closes; every batch
 *               is BATCH_ROWS rows with one batch number, so a torn copy shows as a
 *               batch with fewer rows
 */
import { KeyFileKeyStore } from '../key-file.key-store.js';
import { openVault } from '../vault.js';
import { BATCH_ROWS } from './vault-holder.js';

const [mode, dir, keyFile] = process.argv.slice(2);
if (mode === undefined || dir === undefined || keyFile === undefined) {
  throw new Error('usage: vault-holder.child.ts open|write-lock|writer DIR KEY_FILE');
}

let released = false;
process.stdin.on('end', () => (released = true));
process.stdin.resume();

const vault = await openVault({ dir, keyStore: new KeyFileKeyStore(keyFile) });
const say = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
const untilReleased = () =>
  new Promise<void>((resolve) => {
    if (released) resolve();
    else process.stdin.on('end', () => resolve());
  });

switch (mode) {
  case 'open':
    say({ ready: true });
    await untilReleased();
    say({ done: true });
    break;
  case 'write-lock':
    vault.db.exec('BEGIN IMMEDIATE');
    vault.db.prepare("INSERT INTO meta (key, value) VALUES ('holder', 'uncommitted')").run();
    say({ ready: true });
    await untilReleased();
    vault.db.exec('ROLLBACK');
    say({ done: true });
    break;
  case 'writer': {
    vault.db.exec(
      'CREATE TABLE IF NOT EXISTS holder_probe (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, body TEXT NOT NULL)',
    );
    const insert = vault.db.prepare('INSERT INTO holder_probe (batch, body) VALUES (?, ?)');
    let batches = 0;
    const writeBatch = () =>
      vault.transaction(() => {
        batches++;
        for (let i = 0; i < BATCH_ROWS; i++) insert.run(batches, `batch ${batches} row ${i}`);
      });
    writeBatch();
    say({ ready: true });
    while (!released) {
      writeBatch();
      // Lets the stdin 'end' event in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    say({ done: true, batches });
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
vault.close();
