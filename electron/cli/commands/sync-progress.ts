import type { SyncProgress } from '../../../shared/sync/sync-status.js';
import type { CliIo } from '../cli-io.js';

/** A sync that has run this long starts telling its progress on stderr... */
const QUIET_MS = 2_000;
/** ...at most once this often. */
const EVERY_MS = 1_000;

/**
 * Progress of a long `coffer sync` on stderr (stdout keeps its one result): a line for
 * people, or with --json a `{"progress":{…}}` line. Short syncs print nothing.
 */
export function stderrProgress(
  io: CliIo,
  json: boolean,
  toPush: number,
): (progress: SyncProgress) => void {
  const started = io.now();
  let last = -Infinity;
  return (progress) => {
    const now = io.now();
    if (now - started < QUIET_MS || now - last < EVERY_MS) return;
    last = now;
    io.stderr(
      json
        ? `${JSON.stringify({ progress: { ...progress, toPush } })}\n`
        : `coffer: sync: pushed ${progress.pushed} of ${toPush}, pulled ${progress.pulled}, applied ${progress.applied} (seq ${progress.seq})\n`,
    );
  };
}
