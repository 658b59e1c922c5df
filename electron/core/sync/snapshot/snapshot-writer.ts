import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { Vault } from '../../vault/vault.js';
import { getMeta } from '../../vault/vault-meta.js';
import type { WorkspaceKey } from '../crypto/workspace-key.js';
import { packSnapshot, type PackedSnapshot } from './snapshot-codec.js';

/**
 * Packs the vault's state as the snapshot at `seq`, or null when it is not exactly the log
 * through `seq`: a change waits in the outbox (written since the round pushed, or refused),
 * an upload of record state is unfinished, or the pulled seq moved. Checked and read in one
 * vault transaction, so no write lands between the check and the read.
 */
export function packSettledSnapshot(
  vault: Vault,
  key: WorkspaceKey,
  seq: number,
): PackedSnapshot | null {
  return vault.transaction(() => {
    if (vault.changes.pendingCount() > 0) return null;
    if (getMeta(vault.db, 'sync_upload') !== null) return null;
    if (Number(getMeta(vault.db, 'sync_pulled_seq') ?? '0') !== seq) return null;
    return packSnapshot(vault, key, { snapshotId: uuidv7(vault.now()), seq });
  });
}
