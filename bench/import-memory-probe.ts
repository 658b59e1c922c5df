/**
 * Child process of the import bench: imports one statement into a fresh encrypted vault
 * and prints its peak resident memory as JSON on the last line of stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountService } from '../electron/core/ledger/account.service.js';
import { importStatementFile } from '../electron/core/import/index.js';
import { MemoryKeyStore } from '../electron/core/vault/memory.key-store.js';
import { createVault } from '../electron/core/vault/vault.js';

async function main(): Promise<void> {
  const [file, scratch] = process.argv.slice(2);
  if (file === undefined || scratch === undefined) throw new Error('usage: FILE SCRATCH_DIR');
  const dir = fs.mkdtempSync(path.join(scratch, 'probe-'));
  const vault = await createVault({ dir, keyStore: new MemoryKeyStore() });
  try {
    new AccountService(vault).create({ name: 'Checking', currency: 'USD', kind: 'checking' });
    await importStatementFile(vault, { file, format: 'csv', account: 'Checking' });
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
