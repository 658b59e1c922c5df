import * as z from 'zod';
import { CofferError } from '../errors/coffer-error.js';

/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014). A timestamp
 * is wall-clock ms, a counter for events within the same ms (or while the local clock is
 * behind one already seen), and the device that made it. Written as
 *
 *   001718000000000:000007:<deviceId>   (15-digit ms, 6-digit counter, device id)
 *
 * so that plain string comparison orders by (wall, counter, deviceId): a total order every
 * device computes alike, which last-writer-wins merging relies on.
 */
export interface HlcParts {
  wallMs: number;
  counter: number;
  deviceId: string;
}

/**
 * How far a remote clock may run ahead of ours before its timestamps are refused. A minute
 * covers ordinary NTP skew; more means a device's date is wrong, and taking it would drag
 * every later edit everywhere into that device's future.
 */
export const MAX_CLOCK_DRIFT_MS = 60_000;
export const MAX_HLC_WALL_MS = 999_999_999_999_999;
export const MAX_HLC_COUNTER = 999_999;
export const DEVICE_ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;
export const HLC_PATTERN = /^(\d{15}):(\d{6}):([0-9A-Za-z_-]{1,64})$/;

export const DeviceIdSchema = z.string().regex(DEVICE_ID_PATTERN, {
  error: 'Device id must be 1–64 letters, digits, "-" or "_"',
});

export const HlcSchema = z.string().regex(HLC_PATTERN, {
  error: 'Must be a hybrid logical clock timestamp "WALL15:COUNTER6:deviceId"',
});

export function parseHlc(value: string): HlcParts {
  const match = typeof value === 'string' ? HLC_PATTERN.exec(value) : null;
  if (match === null) {
    throw new CofferError('INVALID_INPUT', 'Not a hybrid logical clock timestamp', {
      value: typeof value === 'string' ? value.slice(0, 100) : null,
    });
  }
  return { wallMs: Number(match[1]), counter: Number(match[2]), deviceId: match[3] as string };
}

export function formatHlc({ wallMs, counter, deviceId }: HlcParts): string {
  if (!Number.isInteger(wallMs) || wallMs < 0 || wallMs > MAX_HLC_WALL_MS) {
    throw new CofferError('CLOCK_OVERFLOW', 'Clock wall time is outside the timestamp range');
  }
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_HLC_COUNTER) {
    throw new CofferError('CLOCK_OVERFLOW', 'Clock counter is outside the timestamp range');
  }
  assertDeviceId(deviceId);
  return `${String(wallMs).padStart(15, '0')}:${String(counter).padStart(6, '0')}:${deviceId}`;
}

/** -1, 0 or 1; the same order as comparing the strings. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class HlcClock {
  readonly deviceId: string;
  readonly #now: () => number;
  #wallMs = 0;
  #counter = 0;

  /**
   * `last` restores the newest timestamp this device issued before (persisted by the
   * vault), so the clock never goes backwards across restarts even if the system clock did.
   */
  constructor(deviceId: string, now: () => number = Date.now, last?: string | null) {
    assertDeviceId(deviceId);
    this.deviceId = deviceId;
    this.#now = now;
    if (last !== undefined && last !== null) {
      const parts = parseHlc(last);
      this.#wallMs = parts.wallMs;
      this.#counter = parts.counter;
    }
  }

  /** A timestamp for a local event, later than every one this clock issued or received. */
  tick(): string {
    const physical = this.#physicalNow();
    if (physical > this.#wallMs) return this.#commit(physical, 0);
    return this.#commit(this.#wallMs, this.#counter + 1);
  }

  /**
   * Merges a timestamp from another device and returns one later than both. Refuses
   * (CLOCK_DRIFT) a remote clock more than MAX_CLOCK_DRIFT_MS ahead of ours: accepting it
   * would drag every later local edit into the future and let that device win every merge.
   * `clockOffsetMs` is how far the sync server's clock runs ahead of this device's: the drift
   * is measured against this device's clock corrected by it.
   */
  receive(remote: string, clockOffsetMs = 0): string {
    const theirs = parseHlc(remote);
    const physical = this.#physicalNow();
    const drift = theirs.wallMs - (physical + clockOffsetMs);
    if (drift > MAX_CLOCK_DRIFT_MS) {
      throw new CofferError(
        'CLOCK_DRIFT',
        `A change from device "${theirs.deviceId}" is ${Math.round(drift / 1000)} s ahead of this device's clock ` +
          `(limit ${MAX_CLOCK_DRIFT_MS / 1000} s). Check the date and time settings on both devices`,
        { driftMs: drift, remoteDeviceId: theirs.deviceId },
      );
    }
    const wall = Math.max(this.#wallMs, theirs.wallMs, physical);
    let counter: number;
    if (wall === this.#wallMs && wall === theirs.wallMs)
      counter = Math.max(this.#counter, theirs.counter) + 1;
    else if (wall === this.#wallMs) counter = this.#counter + 1;
    else if (wall === theirs.wallMs) counter = theirs.counter + 1;
    else counter = 0;
    return this.#commit(wall, counter);
  }

  /**
   * A full counter rolls into the next millisecond rather than failing: the order stays
   * total and monotonic, and the wall part runs at most a little ahead until the physical
   * clock catches up (a stuck clock must not stop every write).
   */
  #commit(wallMs: number, counter: number): string {
    if (counter > MAX_HLC_COUNTER) {
      wallMs += 1;
      counter = 0;
    }
    const stamp = formatHlc({ wallMs, counter, deviceId: this.deviceId });
    this.#wallMs = wallMs;
    this.#counter = counter;
    return stamp;
  }

  #physicalNow(): number {
    const now = this.#now();
    if (!Number.isFinite(now) || now < 0 || now > MAX_HLC_WALL_MS) {
      throw new CofferError(
        'CLOCK_OVERFLOW',
        'The system clock reading is outside the timestamp range',
      );
    }
    return Math.floor(now);
  }
}

function assertDeviceId(deviceId: string): void {
  if (typeof deviceId !== 'string' || !DEVICE_ID_PATTERN.test(deviceId)) {
    throw new CofferError('INVALID_INPUT', 'Device id must be 1–64 letters, digits, "-" or "_"');
  }
}
