import { hostname } from 'node:os';

import { syncOnce } from '../../core/sync/engine/sync-once.js';
import { SyncAccountService } from '../../core/sync/sync-account.service.js';
import { NO_POSITIONALS, type Command } from '../command.js';

export const syncNowCommand: Command = {
  path: ['sync'],
  summary:
    "Push this vault's recorded changes to the workspace, then pull and apply everyone else's.",
  usage: 'sync',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const vault = await ctx.vault();
    const account = new SyncAccountService({
      vault,
      keyStore: ctx.keyStore(),
      deviceName: `coffer CLI on ${hostname()}`.slice(0, 100),
    });
    const result = await account.withWorkspaceSync((sync, workspace, keyring) =>
      syncOnce(vault, sync, workspace.workspaceId, keyring),
    );
    const lines = [
      `Pushed ${result.pushed} change(s); pulled ${result.pulled}, applied ${result.applied}` +
        (result.alreadyHad > 0 ? ` (${result.alreadyHad} already here)` : '') +
        `; workspace log at seq ${result.seq}.`,
    ];
    if (result.conflicts > 0) {
      lines.push(`${result.conflicts} conflicting edit(s) kept for review: conflicts list.`);
    }
    if (result.deferred > 0) {
      lines.push(`${result.deferred} change(s) wait for a newer Coffer or for records to arrive.`);
    }
    for (const problem of [...result.pushRejected, ...result.refused]) {
      lines.push(`Not synced: change ${problem.changeId}: ${problem.code}: ${problem.message}`);
    }
    if (result.serverRestored) {
      lines.push(
        'The server was restored from a backup since the last sync: everything was pulled again, and what the backup lacked of this device’s changes was pushed again.',
      );
    }
    return { data: result, text: lines.join('\n') };
  },
};
