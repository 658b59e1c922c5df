import { describe, expect, it } from 'vitest';

import type { AuditRecord } from '../storage/audit.repository.js';
import {
  MAX_REFUSAL_KINDS,
  REFUSALS_WRITTEN_EACH,
  REFUSAL_WINDOW_MS,
  RefusalAggregator,
} from './refusal-aggregator.js';

let seq = 0;
function record(at: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  seq += 1;
  return {
    id: `id-${seq}`,
    at,
    requestId: `req-${seq}`,
    action: 'POST /v1/auth/login',
    statusCode: 401,
    errorCode: 'INVALID_CREDENTIALS',
    outcome: 'failure',
    ip: '192.0.2.7',
    userId: null,
    sessionId: null,
    workspaceId: null,
    subjectUserId: 'victim',
    factor: 'password',
    deviceName: null,
    userAgent: null,
    ...overrides,
  };
}

const totalRequests = (rows: AuditRecord[]): number =>
  rows.reduce((sum, row) => sum + (row.repeats ?? 1), 0);

describe('RefusalAggregator', () => {
  it('writes the first refusals of a kind, counts the rest, and sums them up when the minute ends', () => {
    let now = 1_000_000;
    const aggregator = new RefusalAggregator(() => now);
    const written: AuditRecord[] = [];
    for (let i = 0; i < 500; i += 1) written.push(...aggregator.admit(record(now + i)));
    expect(written).toHaveLength(REFUSALS_WRITTEN_EACH);
    now += REFUSAL_WINDOW_MS;
    const summary = aggregator.flush();
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({
      repeats: 500 - REFUSALS_WRITTEN_EACH,
      requestId: `req-${seq}`,
      subjectUserId: 'victim',
    });
    // Every request is accounted for, in four rows instead of 500.
    expect(totalRequests([...written, ...summary])).toBe(500);
    expect(aggregator.size).toBe(0);
  });

  it('always writes successes and server errors one by one', () => {
    const aggregator = new RefusalAggregator(() => 0);
    let rows = 0;
    for (let i = 0; i < 20; i += 1) {
      rows += aggregator.admit(record(i, { outcome: 'success', statusCode: 200 })).length;
      rows += aggregator.admit(record(i, { outcome: 'error', statusCode: 500 })).length;
    }
    expect(rows).toBe(40);
  });

  it('keeps kinds apart: another IP, account, status or error code is its own window', () => {
    const aggregator = new RefusalAggregator(() => 0);
    const kinds: Partial<AuditRecord>[] = [
      {},
      { ip: '198.51.100.9' },
      { subjectUserId: 'someone-else' },
      { statusCode: 429, outcome: 'rate_limited', errorCode: 'RATE_LIMITED' },
    ];
    let rows = 0;
    for (const kind of kinds) {
      for (let i = 0; i < 10; i += 1) rows += aggregator.admit(record(i, kind)).length;
    }
    expect(rows).toBe(kinds.length * REFUSALS_WRITTEN_EACH);
    expect(aggregator.flush(true).map((row) => row.repeats)).toEqual(
      kinds.map(() => 10 - REFUSALS_WRITTEN_EACH),
    );
  });

  it('writes a window that ended when the next request of any kind comes', () => {
    const aggregator = new RefusalAggregator(() => 0);
    for (let i = 0; i < 5; i += 1) aggregator.admit(record(i));
    const next = aggregator.admit(
      record(REFUSAL_WINDOW_MS + 10, { outcome: 'success', statusCode: 200 }),
    );
    expect(next.map((row) => row.repeats ?? 1)).toEqual([5 - REFUSALS_WRITTEN_EACH, 1]);
  });

  it('bounds memory: past the limit, new kinds fold into one row per route and status', () => {
    const aggregator = new RefusalAggregator(() => 0);
    for (let i = 0; i < MAX_REFUSAL_KINDS + 500; i += 1) {
      aggregator.admit(record(0, { ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
    }
    expect(aggregator.size).toBe(MAX_REFUSAL_KINDS + 1);
    const folded = aggregator
      .flush(true)
      .filter((row) => row.ip === '(many)')
      .concat();
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ subjectUserId: null, repeats: 500 - REFUSALS_WRITTEN_EACH });
  });
});
