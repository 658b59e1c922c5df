import { randomUUID } from 'node:crypto';

import { EPOCH_ID_META } from '../storage/change-log.repository.js';
import type { Storage } from '../storage/storage.js';

/**
 * Gives a database restored from a backup a new epoch id. Clients compare it with the one
 * they last saw: a new one tells them the server may have lost changes it acknowledged, and
 * they push those again (docs/sync-merge.md, "Re-push after a server restore"). Without it a
 * restored server would answer with the epoch of the backup, and every change pushed after
 * that backup would stay lost. Returns the old and new ids.
 */
export async function markRestored(
  storage: Storage,
): Promise<{ previous: string | null; epoch: string }> {
  const previous = await storage.meta.get(EPOCH_ID_META);
  const epoch = randomUUID();
  await storage.meta.set(EPOCH_ID_META, epoch);
  return { previous, epoch };
}
