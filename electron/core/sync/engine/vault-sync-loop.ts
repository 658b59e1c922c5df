import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { Vault } from '../../vault/vault.js';
import { getMeta } from '../../vault/vault-meta.js';
import { openSyncSocket } from '../client/sync-socket.client.js';
import type { SyncSocketOptions } from '../client/sync-socket.client.js';
import { SyncAccountRepository } from '../sync-account.repository.js';
import type { SyncAccountService } from '../sync-account.service.js';
import { syncOnce } from './sync-once.js';
import { REAL_TIMERS, SyncLoop } from './sync-loop.js';
import type { LoopTimers, SyncLoopOptions } from './sync-loop.js';

/** A round that only pulls still fetches newly shared workspace keys this often. */
const KEY_REFRESH_MS = 5 * 60_000;
/** A round that failed on one of these fetches the keys on the next. */
const KEY_ERRORS = new Set(['KEY_VERSION_UNKNOWN', 'WORKSPACE_KEY_PENDING']);

export interface VaultSyncLoopOptions {
  loop?: Partial<SyncLoopOptions>;
  socket?: SyncSocketOptions;
  timers?: LoopTimers;
  now?: () => number;
  random?: () => number;
}

/**
 * The sync loop of one vault (SYNC_NOT_SET_UP or INVALID_STATE when it is not signed in or
 * has no workspace): rounds through the account service (so a revoked session is
 * crypto-shredded where every other call would shred it), the socket on the stored session
 * and pinned certificate, and the vault's commit announcements as the local trigger.
 */
export function createVaultSyncLoop(
  vault: Vault,
  account: SyncAccountService,
  options: VaultSyncLoopOptions = {},
): SyncLoop {
  const repo = new SyncAccountRepository(vault.db);
  if (repo.account() === null) {
    throw new CofferError(
      'SYNC_NOT_SET_UP',
      'This vault is not signed in to a sync server: run sync register or sync login first.',
    );
  }
  if (repo.workspace() === null) {
    throw new CofferError(
      'INVALID_STATE',
      'This vault has no workspace yet: workspace create or workspace join.',
    );
  }
  const now = options.now ?? (() => Date.now());
  account.keepConnection();
  // When the workspace keys were last fetched; -Infinity: on the first round.
  let keysFetchedAt = -Infinity;
  return new SyncLoop({
    runRound: (onProgress) => {
      // An import's stepped transaction may be open between its steps: a round now would
      // read (and push) rows that could still be rolled back. Try again shortly.
      if (vault.db.inTransaction) {
        return Promise.reject(
          new CofferError('VAULT_BUSY', 'The vault is busy writing: sync waits for it.'),
        );
      }
      // Newly shared key versions are fetched before every push, so a change always goes
      // out under the newest key (a rotation must keep a removed member from reading it), on
      // the first round, after a round that met a key it lacked, and at least every
      // KEY_REFRESH_MS. A round that only pulls skips the request: it is the one between
      // another device's write and its arrival here.
      const started = now();
      const refreshKeys =
        vault.changes.pendingCount() > 0 || started - keysFetchedAt >= KEY_REFRESH_MS;
      return account
        .withWorkspaceSync(
          (sync, workspace, keyring) =>
            syncOnce(vault, sync, workspace.workspaceId, keyring, {
              onProgress,
              writeSnapshots: workspace.role === 'admin',
            }),
          { refreshKeys },
        )
        .then(
          (result) => {
            if (refreshKeys) keysFetchedAt = started;
            return result;
          },
          (error: unknown) => {
            if (isCofferError(error) && KEY_ERRORS.has(error.code)) keysFetchedAt = -Infinity;
            throw error;
          },
        );
    },
    connectSocket: (handlers) => {
      // Shredded by a round that met SESSION_REVOKED and is still finishing: it ends the
      // loop, and there is no session left to listen with.
      if (!vault.db.open) return { close: () => undefined };
      const signedIn = repo.account();
      const workspace = repo.workspace();
      if (signedIn === null || workspace === null) {
        // Nothing to listen to; the first round says why and ends the loop.
        queueMicrotask(() =>
          handlers.onEnd({
            code: 1006,
            reason: '',
            error: new CofferError('SYNC_NOT_SET_UP', 'This vault has no workspace to sync.'),
          }),
        );
        return { close: () => undefined };
      }
      return openSyncSocket(
        {
          url: signedIn.serverUrl,
          ...(signedIn.fingerprint === null ? {} : { fingerprint: signedIn.fingerprint }),
        },
        workspace.workspaceId,
        signedIn.sessionToken,
        handlers,
        options.socket,
      );
    },
    onLocalCommit: (listener) => vault.changes.onCommitted(listener),
    queued: () => vault.changes.pendingCount(),
    pulledSeq: () => Number(getMeta(vault.db, 'sync_pulled_seq') ?? '0'),
    now,
    random: options.random ?? Math.random,
    timers: options.timers ?? REAL_TIMERS,
    release: () => account.releaseConnection(),
    ...(options.loop === undefined ? {} : { options: options.loop }),
  });
}
