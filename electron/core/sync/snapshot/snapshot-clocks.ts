import { HLC_PATTERN, MAX_HLC_COUNTER, MAX_HLC_WALL_MS } from '../../../../shared/hlc/hlc.js';
import type { DeviceRefLookup } from '../field-clocks.js';
import { decodeFieldClocks, encodeFieldClocks, isKnownFieldList } from '../field-clocks.js';
import { invalid } from './snapshot-lines.js';

/**
 * One group of a snapshot record's clocks (field-clocks.ts, compact form with full device
 * ids): wall ms and counter in base 36, the device id, then "=" and a field-list code or the
 * space-separated field names. A ref ("~…") never travels: refs are one vault's own.
 */
const GROUP =
  /^([0-9a-z]{1,10})\.([0-9a-z]{1,4})\.([0-9A-Za-z_-]{1,64})(=[0-9a-z]{1,8}|(?: [A-Za-z][A-Za-z0-9_]{0,63})+)$/;

/**
 * Turns a snapshot record's clocks into the text this vault stores in the row, as strings:
 * each device id that has a ref here becomes `~<ref>`, everything else is copied, so no
 * clock is decoded into a map and encoded again per record. Checks the text as strictly as
 * decoding it would (SNAPSHOT_INVALID), and keeps the newest HLC seen.
 *
 * Refs are only looked up, never made (device-refs.ts: not inside a transaction): the load
 * makes the refs its snapshot names before it begins. A device without one keeps its full
 * id, which stays readable.
 */
export class SnapshotClocks {
  readonly #refs: DeviceRefLookup | undefined;
  /** device id → what the stored text names it by. */
  readonly #names = new Map<string, string>();
  /** A group's text after its counter, checked: its device, and that text as stored here. */
  readonly #tails = new Map<string, { device: string; localized: string }>();
  #wall = -1;
  #counter = -1;
  #device = '';

  constructor(refs?: DeviceRefLookup) {
    this.#refs = refs;
  }

  /** The stored text for `text`; `recordId` only names the record in an error. */
  localize(text: string, recordId: string): string {
    if (text === '') return '';
    if (text.startsWith('{')) return this.#legacy(text, recordId);
    const groups = text.split(';');
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!;
      const quick = this.#localizeByTail(group);
      if (quick !== null) {
        groups[i] = quick;
        continue;
      }
      const match = GROUP.exec(group);
      if (match === null) throw unreadable(recordId);
      const [, wallText, counterText, device, rest] = match as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      const wall = parseInt(wallText, 36);
      const counter = parseInt(counterText, 36);
      if (wall > MAX_HLC_WALL_MS || counter > MAX_HLC_COUNTER) throw unreadable(recordId);
      if (rest.startsWith('=') && !isKnownFieldList(rest.slice(1))) throw unreadable(recordId);
      this.#note(wall, counter, device);
      const localized = `${this.#name(device)}${rest}`;
      if (this.#tails.size < MAX_TAILS) this.#tails.set(`${device}${rest}`, { device, localized });
      groups[i] = `${wallText}.${counterText}.${localized}`;
    }
    return groups.join(';');
  }

  /**
   * A group whose device and fields (its tail) an earlier group had: the tail checked and
   * named once, then only the wall and counter digits read. Most of a snapshot's groups
   * share a few tails (one device, a field-list code), and this skips the whole-group
   * pattern for them. Null when the tail is new or the group is not of that shape: the
   * caller then checks the group in full, as before.
   */
  #localizeByTail(group: string): string | null {
    const first = group.indexOf('.');
    const second = group.indexOf('.', first + 1);
    if (first < 1 || first > 10 || second - first < 2 || second - first > 5) return null;
    const known = this.#tails.get(group.slice(second + 1));
    if (known === undefined || !base36Digits(group, 0, first)) return null;
    if (!base36Digits(group, first + 1, second)) return null;
    const wall = parseInt(group.slice(0, first), 36);
    const counter = parseInt(group.slice(first + 1, second), 36);
    if (wall > MAX_HLC_WALL_MS || counter > MAX_HLC_COUNTER) return null;
    this.#note(wall, counter, known.device);
    return `${group.slice(0, second + 1)}${known.localized}`;
  }

  /** Checks `text` without keeping anything: what a reader that does not store it needs. */
  static check(text: string, recordId: string): void {
    checker.localize(text, recordId);
  }

  /** The newest HLC of every clock localized so far; null before the first. */
  newest(): string | null {
    if (this.#wall < 0) return null;
    return `${String(this.#wall).padStart(15, '0')}:${String(this.#counter).padStart(6, '0')}:${this.#device}`;
  }

  #note(wall: number, counter: number, device: string): void {
    if (
      wall > this.#wall ||
      (wall === this.#wall &&
        (counter > this.#counter || (counter === this.#counter && device > this.#device)))
    ) {
      this.#wall = wall;
      this.#counter = counter;
      this.#device = device;
    }
  }

  #name(device: string): string {
    let name = this.#names.get(device);
    if (name === undefined) {
      const ref = this.#refs?.refOf(device);
      name = ref === undefined ? device : `~${ref.toString(36)}`;
      this.#names.set(device, name);
    }
    return name;
  }

  /** The first stored form, still read (field-clocks.ts); no writer emits it. */
  #legacy(text: string, recordId: string): string {
    let clocks;
    try {
      clocks = decodeFieldClocks(text);
    } catch {
      throw unreadable(recordId);
    }
    for (const hlc of clocks.values()) {
      if (!HLC_PATTERN.test(hlc)) throw unreadable(recordId);
      this.#note(Number(hlc.slice(0, 15)), Number(hlc.slice(16, 22)), hlc.slice(23));
    }
    return encodeFieldClocks(clocks, this.#refs);
  }
}

/** Distinct tails remembered: a few per device in practice; the bound caps a hostile snapshot. */
const MAX_TAILS = 4_096;

/** Whether `text[from, to)` is 1+ digits of base 36 in lower case, as the pattern wants. */
function base36Digits(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

/** Checks without refs: what it keeps (device names, the newest HLC) is never read. */
const checker = new SnapshotClocks();

function unreadable(recordId: string): Error {
  return invalid(`the clocks of record ${recordId} cannot be read`);
}
