import type { SyncStatus } from '../../../shared/sync/sync-status.js';
import { createVaultSyncLoop } from '../../core/sync/engine/vault-sync-loop.js';
import type { SyncLoopEvent } from '../../core/sync/engine/sync-loop.js';
import type { SyncAccountService } from '../../core/sync/sync-account.service.js';
import type { Vault } from '../../core/vault/vault.js';
import type { CommandContext, CommandResult } from '../command.js';

const CAUSES: Record<string, string> = {
  start: 'at start',
  local: 'after a local write',
  announced: 'announced by the server',
  socket: 'on (re)connecting',
  poll: 'on the periodic check',
  retry: 'retrying',
};

/**
 * `coffer sync --watch`: the background loop in the foreground until SIGINT or SIGTERM
 * (a clean stop: socket closed, vault closed, exit 0). One line per round and per change of
 * connection or status on stdout; with --json, one JSON object per line. SESSION_REVOKED
 * ends it with the usual error (the vault has been shredded).
 */
export async function watchSync(
  ctx: CommandContext,
  vault: Vault,
  account: SyncAccountService,
): Promise<CommandResult> {
  const { io, json } = ctx;
  const loop = createVaultSyncLoop(vault, account);
  let rounds = 0;
  let shown: SyncStatus['state'] | undefined;
  const time = (): string => new Date(io.now()).toISOString().slice(11, 19);
  const line = (data: Record<string, unknown>, text: string): void =>
    io.stdout(
      json
        ? `${JSON.stringify({ ...data, at: new Date(io.now()).toISOString() })}\n`
        : `${time()} ${text}\n`,
    );

  loop.subscribe((event: SyncLoopEvent) => {
    if (event.type === 'round') {
      rounds += 1;
      const r = event.result;
      const problems = r.pushRejected.length + r.refused.length;
      line(
        {
          event: 'round',
          cause: event.cause,
          pushed: r.pushed,
          pulled: r.pulled,
          applied: r.applied,
          conflicts: r.conflicts,
          notSynced: problems,
          seq: r.seq,
        },
        `pushed ${r.pushed}, pulled ${r.pulled}, applied ${r.applied}; seq ${r.seq} (${CAUSES[event.cause] ?? event.cause})` +
          (r.conflicts > 0 ? `; ${r.conflicts} conflict(s) for review` : '') +
          (problems > 0 ? `; ${problems} change(s) not synced: run coffer sync for details` : ''),
      );
    } else if (event.type === 'socket') {
      line(
        {
          event: 'socket',
          connected: event.connected,
          ...(event.error === undefined ? {} : { error: event.error }),
        },
        event.connected
          ? 'listening for changes on the server'
          : `connection to the server lost${event.error === undefined ? '' : ` (${event.error})`}; reconnecting`,
      );
    } else {
      const status = event.status;
      // Rounds have their own lines: only a change to or from trouble is news.
      if (status.state === 'syncing') return;
      if (status.state === 'synced' && (shown === undefined || shown === 'synced')) {
        shown = 'synced';
        return;
      }
      shown = status.state;
      line({ event: 'status', ...status }, statusText(status));
    }
  });

  let stopListening: (() => void) | undefined;
  const signalled = new Promise<void>((resolve) => {
    stopListening = io.onStopSignal?.(resolve);
  });
  loop.start();
  await Promise.race([loop.done, signalled]);
  stopListening?.();
  await loop.stop();
  const end = await loop.done;
  if (end.reason === 'failed') throw end.error;
  return {
    data: { event: 'stopped', rounds, at: new Date(io.now()).toISOString() },
    text: `${time()} stopped after ${rounds} round(s)`,
    jsonLine: true,
  };
}

function statusText(status: SyncStatus): string {
  const at = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
  switch (status.state) {
    case 'offline':
      return `offline: ${status.queued} change(s) queued; retrying at ${at(status.retryAt)}`;
    case 'error':
      return (
        `error: ${status.message} (${status.code})` +
        (status.retryAt === null ? '' : `; retrying at ${at(status.retryAt)}`)
      );
    case 'synced':
      return `back in sync; seq ${status.seq}`;
    default:
      return status.state;
  }
}
