import { resolve } from 'node:path';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { backupVault } from '../../core/vault/backup.service.js';
import {
  newRecoveryKey,
  type ShownRecoveryKey,
} from '../../core/vault/new-recovery-key.service.js';
import { recoverVault } from '../../core/vault/recover.service.js';
import { restoreBackup } from '../../core/vault/restore.service.js';
import { createVault } from '../../core/vault/vault.js';
import { keyAgeDays, rekeyVault } from '../../core/vault/rekey.service.js';
import { readVaultManifest } from '../../core/vault/vault-files.js';
import { recoveryKeyStatus, type RecoveryKeyStatus } from '../../core/vault/vault-recovery.js';
import { flag, requireString } from '../args.js';
import { NO_POSITIONALS, type Command, type CommandResult } from '../command.js';
import { UsageError } from '../usage-error.js';

export const initCommand: Command = {
  path: ['init'],
  summary:
    'Create a new encrypted vault; its key goes to the OS keychain (or --key-file), and its Recovery Key is shown once.',
  usage: 'init',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const keyStore = ctx.keyStore();
    const vault = await createVault({ dir: ctx.vaultDir, keyStore, now: () => ctx.io.now() });
    const { recoveryKey } = vault;
    const data = { vaultId: vault.vaultId, dir: vault.dir, keyStore: keyStore.kind, recoveryKey };
    vault.close();
    const where = keyStore.kind === 'keychain' ? 'the OS keychain' : `the key file ${ctx.keyFile}`;
    const text = [
      `Created vault ${data.vaultId} in ${data.dir}; its key is in ${where}.`,
      ...recoveryKeyText(recoveryKey, data.dir, [
        'It opens this vault if its key is lost (a new computer, a reinstalled system) and it',
        'opens your backups. Write it down or keep it in a password manager, away from this',
        'computer and its backups: Coffer keeps no copy and cannot show it again. To use it:',
      ]),
    ].join('\n');
    return { data, text };
  },
};

/** The Recovery Key as `init` and `recovery-key new` show it: once, with what it is for. */
function recoveryKeyText(recoveryKey: string, dir: string, whatItOpens: string[]): string[] {
  return [
    '',
    'Your Recovery Key, shown this once:',
    '',
    `    ${recoveryKey}`,
    '',
    ...whatItOpens,
    `  coffer --vault ${dir} recover --recovery-key-stdin`,
  ];
}

export const recoveryKeyNewCommand: Command = {
  path: ['recovery-key', 'new'],
  summary:
    'Make a new Recovery Key for the vault, shown once; from then on only it opens the vault (a vault made before Recovery Keys gets its first).',
  usage: 'recovery-key new',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const vault = await ctx.vault();
    let result: CommandResult | undefined;
    // Printed the moment the key is in force: the older key stops working only after that.
    await newRecoveryKey(vault, ctx.keyStore(), async (shown) => {
      result = newRecoveryKeyResult(shown, vault.dir);
      await ctx.print(result);
    });
    if (result === undefined)
      throw new CofferError('INTERNAL', 'The new Recovery Key was not shown.');
    return result;
  },
};

function newRecoveryKeyResult(shown: ShownRecoveryKey, dir: string): CommandResult {
  const { vaultId, replaced, recoveryKey } = shown;
  const text = [
    replaced
      ? `Made a new Recovery Key for vault ${vaultId}; the one before it no longer opens the vault.`
      : `Vault ${vaultId} was made before Recovery Keys; it has one now.`,
    ...recoveryKeyText(recoveryKey, dir, [
      'It opens this vault if its key is lost (a new computer, a reinstalled system) and it',
      'opens the backups you make from now on. Write it down or keep it in a password',
      'manager, away from this computer and its backups: Coffer keeps no copy and',
      'cannot show it again. To use it:',
    ]),
    '',
    ...(replaced
      ? [
          'Backups made before keep the Recovery Key of their time: keep that one for as long',
          'as you keep them.',
        ]
      : [
          "Backups made before have no Recovery Key: they open only with this computer's key",
          'store. Make a new backup.',
        ]),
  ].join('\n');
  return { data: { vaultId, dir, recoveryKey, replaced }, text };
}

export const recoverCommand: Command = {
  path: ['recover'],
  summary:
    'Open the vault with its Recovery Key (read from stdin) and put its key back into the OS keychain (or --key-file).',
  usage: 'recover --recovery-key-stdin',
  options: { 'recovery-key-stdin': { type: 'boolean' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    if (!flag(args, 'recovery-key-stdin')) {
      throw new UsageError(
        'the Recovery Key is read from standard input: pass --recovery-key-stdin (never put it on the command line)',
      );
    }
    const recoveryKey = firstLine(await ctx.io.readStdin());
    if (recoveryKey.trim().length === 0) {
      throw new UsageError(
        'no Recovery Key on standard input; pipe it in, e.g.: read -rs KEY; printf \'%s\\n\' "$KEY" | coffer --vault DIR recover --recovery-key-stdin',
      );
    }
    const keyStore = ctx.keyStore();
    const result = await recoverVault({ dir: ctx.vaultDir, keyStore, recoveryKey });
    const where = keyStore.kind === 'keychain' ? 'the OS keychain' : `the key file ${ctx.keyFile}`;
    const whereCapitalized = where.charAt(0).toUpperCase() + where.slice(1);
    const text = {
      stored: `The key of vault ${result.vaultId} is in ${where} again; the vault opens as before.`,
      'already-stored': `${whereCapitalized} already holds the key that opens vault ${result.vaultId}; nothing to do.`,
      're-encrypted': `${whereCapitalized} already held another key for vault ${result.vaultId} (a newer copy of this vault uses it), so it was kept and this copy was re-encrypted under it: both copies open.`,
    }[result.outcome];
    return { data: result, text };
  },
};

export const backupCommand: Command = {
  path: ['backup'],
  summary:
    'Write a consistent backup of the vault (still encrypted, with its vault.json) while it is in use.',
  usage: 'backup --out FILE',
  options: { out: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const out = resolve(requireString(args, 'out'));
    const result = backupVault(await ctx.vault(), out);
    return {
      data: { ...result, createdAt: new Date(result.createdAt).toISOString() },
      text: `Backed up vault ${result.vaultId} to ${result.file} (${result.bytes} bytes). It holds the encrypted database and vault.json, not the key: this computer's key store or the Recovery Key opens it.`,
    };
  },
};

export const restoreCommand: Command = {
  path: ['restore'],
  summary: 'Unpack a backup into the new or empty folder given with --vault.',
  usage: 'restore --from FILE',
  options: { from: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const result = restoreBackup(resolve(requireString(args, 'from')), ctx.vaultDir);
    return {
      data: { ...result, backedUpAt: new Date(result.backedUpAt).toISOString() },
      text: [
        `Restored vault ${result.vaultId}, as backed up at ${new Date(result.backedUpAt).toISOString()}, into ${result.dir}.`,
        "If this computer's key store does not hold its key, open it with the Recovery Key:",
        `  coffer --vault ${result.dir} recover --recovery-key-stdin`,
      ].join('\n'),
    };
  },
};

/** The first non-blank line: a key typed at a prompt or piped from a file. */
function firstLine(input: string): string {
  return input.split(/\r?\n/).find((line) => line.trim().length > 0) ?? '';
}

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
    const recovery = recoveryStatusOf(recoveryKeyStatus(vault.dir, vault.db), vault.dir);
    const data = {
      vaultId: vault.vaultId,
      dir: vault.dir,
      keyStore: manifest.keyStore,
      cipher: 'SQLCipher 4 (AES-256)',
      schemaVersion,
      keyAgeDays: keyAgeDays(vault),
      recovery,
      counts: {
        accounts: count('accounts'),
        transactions: count('transactions'),
        clients: count('clients'),
        invoices: count('invoices'),
      },
      pendingChanges: pending,
      /** False while the vault is local-only: it keeps no outbox until linked to sync. */
      recordingChanges: vault.changes.outboxEnabled(),
    };
    const text = [
      `vault        ${data.vaultId}`,
      `directory    ${data.dir}`,
      `encryption   ${data.cipher}, key in ${data.keyStore}, ${data.keyAgeDays} day(s) old`,
      `recovery     ${recovery.summary}`,
      ...(recovery.advice === undefined ? [] : [`             ${recovery.advice}`]),
      `schema       version ${data.schemaVersion}`,
      `accounts     ${data.counts.accounts}`,
      `transactions ${data.counts.transactions}`,
      `clients      ${data.counts.clients}`,
      `invoices     ${data.counts.invoices}`,
      data.recordingChanges
        ? `changes      ${data.pendingChanges} recorded for sync`
        : 'changes      none kept: this vault is not linked to sync',
    ].join('\n');
    return { data, text };
  },
};

/** The Recovery Key's state for `status`, with what to do about it when something is. */
function recoveryStatusOf(
  state: RecoveryKeyStatus,
  dir: string,
): { state: RecoveryKeyStatus; summary: string; advice?: string } {
  const run = `coffer --vault ${dir} recovery-key new`;
  switch (state) {
    case 'set-up':
      return { state, summary: 'Recovery Key set up' };
    case 'none':
      return {
        state,
        summary: 'no Recovery Key (the vault was made before them): losing its key loses the vault',
        advice: `Make one now: ${run}`,
      };
    case 'unfinished':
      return {
        state,
        summary:
          'a change of Recovery Key did not finish; an older Recovery Key may still open the vault',
        advice: `Finish it with a new one: ${run}`,
      };
    case 'mismatch':
      return {
        state,
        summary: "vault.json names a Recovery Key that is not this vault's, so none opens it",
        advice: 'Put back vault.json from a backup of this vault.',
      };
  }
}

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
