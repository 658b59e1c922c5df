import { hostname } from 'node:os';

import { syncOnce } from '../../core/sync/engine/sync-once.js';
import { SyncAccountService } from '../../core/sync/sync-account.service.js';
import { flag } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { stderrProgress } from './sync-progress.js';
import { watchSync } from './sync-watch.js';

export const syncNowCommand: Command = {
  path: ['sync'],
  summary:
    "Push this vault's recorded changes to the workspace, then pull and apply everyone else's. " +
    'With --watch, keep syncing (after each local write, when the server announces a change) ' +
    'until Ctrl-C, one line per round (--json: one JSON object per line).',
  usage: 'sync [--watch]',
  options: { watch: { type: 'boolean' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const vault = await ctx.vault();
    const account = new SyncAccountService({
      vault,
      keyStore: ctx.keyStore(),
      deviceName: `coffer CLI on ${hostname()}`.slice(0, 100),
    });
    if (flag(args, 'watch')) return watchSync(ctx, vault, account);
    const onProgress = stderrProgress(ctx.io, ctx.json, vault.changes.pendingCount());
    const result = await account.withWorkspaceSync((sync, workspace, keyring) =>
      syncOnce(vault, sync, workspace.workspaceId, keyring, {
        onProgress,
        writeSnapshots: workspace.role === 'admin',
      }),
    );
    const { snapshot } = result;
    const lines: string[] = [];
    if (snapshot.loaded !== null) {
      lines.push(
        `Loaded the workspace snapshot at seq ${snapshot.loaded}; pulled only the changes after it.`,
      );
    }
    if (snapshot.rebootstrapped !== null) {
      lines.push(
        `The server no longer keeps the history this device missed: re-bootstrapped from the snapshot at seq ${snapshot.rebootstrapped}, keeping this device's unsynced edits.`,
      );
    }
    lines.push(
      `Pushed ${result.pushed} change(s); pulled ${result.pulled}, applied ${result.applied}` +
        (result.alreadyHad > 0 ? ` (${result.alreadyHad} already here)` : '') +
        `; workspace log at seq ${result.seq}.`,
    );
    if (snapshot.written !== null) {
      lines.push(`Wrote a workspace snapshot at seq ${snapshot.written}.`);
    }
    if (snapshot.writeFailed !== null) {
      lines.push(
        `A workspace snapshot could not be written (next sync tries again): ${snapshot.writeFailed}`,
      );
    }
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
