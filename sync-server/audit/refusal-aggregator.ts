import { uuidv7 } from '../../shared/ids/uuidv7.js';
import type { AuditRecord } from '../storage/audit.repository.js';

/** Refusals of one kind written one row each per window before the rest are counted. */
export const REFUSALS_WRITTEN_EACH = 3;
/** How long one kind of refusal is counted before its summary row is written. */
export const REFUSAL_WINDOW_MS = 60_000;
/** Kinds of refusal counted at once; past this, new kinds fold into one row per route. */
export const MAX_REFUSAL_KINDS = 10_000;

/**
 * Keeps a flood of refused requests from writing one audit row each (docs: README, "Audit
 * log"). A refusal's kind is who (caller, the account a sign-in was for, workspace, IP)
 * got which answer (action, status, error code). In each 60-second window the first three
 * of a kind are written as they come; the rest are counted, and when the window ends one
 * more row, the newest of them, is written with `repeats` set to how many it stands for.
 * So a guessing run against an account still shows in its sign-in history and the
 * workspace log, with a count, at a few rows a minute whatever the request rate.
 * Successes, and failures of the server itself, are always written one by one.
 *
 * Memory stays bounded: at most MAX_REFUSAL_KINDS kinds are counted; past that, a new kind
 * is counted under its route and status alone, its IP and ids written as "(many)"/null.
 */
export class RefusalAggregator {
  readonly #kinds = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  /**
   * What to write now for `record`: itself, nothing (counted), plus the summaries of windows
   * that ended before it. Call `flush` at shutdown and now and then (audit-hooks.ts).
   */
  admit(record: AuditRecord): AuditRecord[] {
    const out = this.#expired(record.at);
    if (record.outcome !== 'failure' && record.outcome !== 'rate_limited') {
      out.push(record);
      return out;
    }
    let key = kindOf(record);
    if (!this.#kinds.has(key) && this.#kinds.size >= MAX_REFUSAL_KINDS) {
      record = overflowOf(record);
      key = kindOf(record);
    }
    const window = this.#kinds.get(key);
    if (window === undefined) {
      this.#kinds.set(key, { startedAt: record.at, written: 1, counted: 0, newest: record });
      out.push(record);
    } else if (window.written < REFUSALS_WRITTEN_EACH) {
      window.written += 1;
      out.push(record);
    } else {
      window.counted += 1;
      window.newest = record;
    }
    return out;
  }

  /** Summary rows of windows that ended by now (all of them when `everything`). */
  flush(everything = false): AuditRecord[] {
    return everything ? this.#expired(Number.POSITIVE_INFINITY) : this.#expired(this.now());
  }

  /** Kinds being counted now (tests check the bound). */
  get size(): number {
    return this.#kinds.size;
  }

  #expired(at: number): AuditRecord[] {
    const out: AuditRecord[] = [];
    // Windows are kept in the order they started, so the scan stops at the first still open:
    // a request costs O(windows ended), not O(windows counted).
    for (const [key, window] of this.#kinds) {
      if (at - window.startedAt < REFUSAL_WINDOW_MS) break;
      this.#kinds.delete(key);
      if (window.counted === 0) continue;
      const newest = window.newest;
      out.push({ ...newest, id: uuidv7(newest.at), repeats: window.counted });
    }
    return out;
  }
}

interface Window {
  startedAt: number;
  /** Rows of this kind written one by one in the window. */
  written: number;
  /** Rows counted, not written, since. */
  counted: number;
  newest: AuditRecord;
}

function kindOf(record: AuditRecord): string {
  return JSON.stringify([
    record.action,
    record.statusCode,
    record.errorCode,
    record.ip,
    record.userId,
    record.subjectUserId,
    record.workspaceId,
  ]);
}

function overflowOf(record: AuditRecord): AuditRecord {
  return {
    ...record,
    ip: '(many)',
    userId: null,
    sessionId: null,
    subjectUserId: null,
    workspaceId: null,
    factor: null,
    deviceName: null,
    userAgent: null,
    pseudonyms: { user: null, subject: null },
  };
}
