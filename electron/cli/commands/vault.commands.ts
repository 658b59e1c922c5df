import { createVault } from '../../core/vault/vault.js';
import { keyAgeDays, rekeyVault } from '../../core/vault/rekey.service.js';
import { readVaultManifest } from '../../core/vault/vault-files.js';
import { NO_POSITIONALS, type Command } from '../command.js';

export const initCommand: Command = {
  path: ['init'],
  summary: 'Create a new encrypted vault; its key goes to the OS keychain (or --key-file).',
  usage: 'init',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const keyStore = ctx.keyStore();
    const vault = await createVault({ dir: ctx.vaultDir, keyStore, now: () => ctx.io.now() });
    const data = { vaultId: vault.vaultId, dir: vault.dir, keyStore: keyStore.kind };
    vault.close();
    const where = keyStore.kind === 'keychain' ? 'the OS keychain' : `the key file ${ctx.keyFile}`;
    return { data, text: `Created vault ${data.vaultId} in ${data.dir}; its key is in ${where}.` };
  },
};

export const statusCommand: Command = {
  path: ['status'],
  summary: 'Show the vault, its key age and what it holds.',
  usage: 'status',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const vault = await ctx.vault();
    const manifest = readVaultManifest(vault.dir);
    const count = (table: string): number =>
      (
        vault.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`).get() as {
          n: number;
        }
      ).n;
    const schemaVersion = vault.db.pragma('user_version', { simple: true }) as number;
    const pending = (vault.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    const data = {
      vaultId: vault.vaultId,
      dir: vault.dir,
      keyStore: manifest.keyStore,
      cipher: 'SQLCipher 4 (AES-256)',
      schemaVersion,
      keyAgeDays: keyAgeDays(vault),
      counts: {
        accounts: count('accounts'),
        transactions: count('transactions'),
        clients: count('clients'),
        invoices: count('invoices'),
      },
      pendingChanges: pending,
    };
    const text = [
      `vault        ${data.vaultId}`,
      `directory    ${data.dir}`,
      `encryption   ${data.cipher}, key in ${data.keyStore}, ${data.keyAgeDays} day(s) old`,
      `schema       version ${data.schemaVersion}`,
      `accounts     ${data.counts.accounts}`,
      `transactions ${data.counts.transactions}`,
      `clients      ${data.counts.clients}`,
      `invoices     ${data.counts.invoices}`,
      `changes      ${data.pendingChanges} recorded for sync`,
    ].join('\n');
    return { data, text };
  },
};

export const rekeyCommand: Command = {
  path: ['rekey'],
  summary: 'Rotate the vault key (re-encrypts the database and updates the key store).',
  usage: 'rekey',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const vault = await ctx.vault();
    const result = await rekeyVault(vault, ctx.keyStore());
    return {
      data: { vaultId: result.vaultId, keyCreatedAt: new Date(result.keyCreatedAt).toISOString() },
      text: `Rotated the key of vault ${result.vaultId}.`,
    };
  },
};
