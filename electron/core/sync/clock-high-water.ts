import { HLC_PATTERN, HlcClock, formatHlc, parseHlc } from '../../../shared/hlc/hlc.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { getMeta } from '../vault/vault-meta.js';

/**
 * Where the clock resumes after a restart, so HLCs stay monotonic even if the system clock
 * stepped back. Every HLC this device stamped on a committed change is either still in the
 * outbox or was acknowledged — and acknowledging saves the high-water mark in `meta` in the
 * same transaction as the delete. So the newest of the meta value and the newest outbox row
 * bounds every HLC issued before, crash or not, without a meta write on every change.
 *
 * A local-only vault keeps no outbox, so the recorder raises the meta value itself, to a
 * lease (clockLease) ahead of the HLC it stamps, in the same transaction as the write.
 *
 * The outbox is read by seq, not max(hlc): rows are appended with increasing HLCs, and the
 * newest row is one index lookup where max() would scan every pending change.
 */
export function readClockHighWater(db: SqliteDatabase): string | null {
  const stored = getMeta(db, 'clock_high_water');
  const newestPending = db
    .prepare<[], string>('SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1')
    .pluck()
    .get();
  return newestHlc(validHlc(stored), validHlc(newestPending));
}

/** Raises the stored high-water mark to `hlc`; never lowers it. */
export function saveClockHighWater(db: SqliteDatabase, hlc: string): void {
  db.prepare<[string]>(
    `INSERT INTO meta (key, value) VALUES ('clock_high_water', ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE excluded.value > meta.value`,
  ).run(hlc);
}

/** The device's clock, resumed from the high-water mark. */
export function restoreClock(db: SqliteDatabase, deviceId: string, now: () => number): HlcClock {
  return new HlcClock(deviceId, now, readClockHighWater(db));
}

function validHlc(value: string | null | undefined): string | null {
  return typeof value === 'string' && HLC_PATTERN.test(value) ? value : null;
}

/** HLC strings sort as text (hlc.ts), so the newest is the greatest string. */
export function newestHlc(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** How far ahead of a stamped HLC a local-only vault's high-water mark is leased. */
export const CLOCK_LEASE_MS = 1_000;

/**
 * A high-water mark later than `hlc` and every HLC stamped in the next CLOCK_LEASE_MS, so
 * it need not be rewritten for each change. A clock resumed from it starts at most that
 * far ahead of the wall clock, far inside the drift other devices accept.
 */
export function clockLease(hlc: string): string {
  const { wallMs, deviceId } = parseHlc(hlc);
  return formatHlc({ wallMs: wallMs + CLOCK_LEASE_MS, counter: 0, deviceId });
}
