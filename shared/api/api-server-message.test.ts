import { describe, expect, it } from 'vitest';
import { ApiServerMessageSchema } from './api-envelope.js';
import { parseApiServerMessage } from './api-server-message.js';

/** Both readers must accept the same messages and return the same thing for each. */
function expectSameAnswer(message: unknown): void {
  const bySchema = ApiServerMessageSchema.safeParse(message);
  const parsed = parseApiServerMessage(message);
  if (bySchema.success) expect(parsed).toEqual(bySchema.data);
  else expect(parsed).toBeNull();
}

const VALID: unknown[] = [
  { type: 'result', id: 0, result: { ok: true, value: { rows: [1, 2], next: null } } },
  { type: 'result', id: 7, result: { ok: true, value: null } },
  JSON.parse('{"type":"event","event":{"name":"progress","data":{"__proto__":{"x":1}}}}'),
  { type: 'result', id: 8, result: { ok: true, value: null, extra: 1 }, extra: 'dropped' },
  {
    type: 'result',
    id: 9,
    result: { ok: false, error: { code: 'NOT_FOUND', message: 'No such' } },
  },
  {
    type: 'result',
    id: Number.MAX_SAFE_INTEGER,
    result: {
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Bad', details: { issues: [] }, stack: 'x' },
    },
  },
  { type: 'event', event: { name: 'lock.changed', data: { locked: true } } },
  { type: 'event', event: { name: 'progress', data: {}, extra: 1 } },
  { type: 'event', event: { name: 'data.changed', data: { collections: ['transactions'] } } },
];

const INVALID: unknown[] = [
  null,
  undefined,
  'result',
  42,
  [],
  [{ type: 'result', id: 1, result: { ok: true } }],
  {},
  { type: 'other', id: 1, result: { ok: true } },
  { type: 'result', result: { ok: true } },
  { type: 'result', id: -1, result: { ok: true } },
  { type: 'result', id: 1.5, result: { ok: true } },
  { type: 'result', id: '1', result: { ok: true } },
  { type: 'result', id: Number.NaN, result: { ok: true } },
  { type: 'result', id: 2 ** 53, result: { ok: true } },
  { type: 'result', id: 1 },
  { type: 'result', id: 1, result: null },
  { type: 'result', id: 1, result: { ok: 'true', value: 1 } },
  { type: 'result', id: 1, result: { value: 1 } },
  { type: 'result', id: 1, result: { ok: true } },
  { type: 'result', id: 1, result: { ok: false } },
  { type: 'result', id: 1, result: { ok: false, error: { message: 'no code' } } },
  { type: 'result', id: 1, result: { ok: false, error: { code: 404, message: 'n' } } },
  { type: 'result', id: 1, result: { ok: false, error: { code: 'X' } } },
  { type: 'result', id: 1, result: { ok: false, error: { code: 'X', message: 'm', details: [] } } },
  {
    type: 'result',
    id: 1,
    result: { ok: false, error: { code: 'X', message: 'm', details: null } },
  },
  {
    type: 'result',
    id: 1,
    result: { ok: false, error: { code: 'X', message: 'm', details: 's' } },
  },
  { type: 'event' },
  { type: 'event', event: null },
  { type: 'event', event: { name: 'lock.changed' } },
  { type: 'event', event: { name: 'lock.changed', data: null } },
  { type: 'event', event: { name: 'lock.changed', data: [true] } },
  { type: 'event', event: { name: 'lock.changed', data: 'locked' } },
  { type: 'event', event: { name: 'vault.deleted', data: {} } },
  { type: 'event', event: { name: 'toString', data: {} } },
  { type: 'event', event: { data: {} } },
];

/** A seeded generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Messages near the real shapes: each field sometimes swapped for something else. */
function mutated(next: () => number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const odd = (): unknown =>
    pick([null, undefined, 0, -1, 1.5, '', 'x', true, false, [], {}, [1], { a: 1 }]);
  const maybe = <T>(value: T): unknown => (next() < 0.2 ? odd() : value);
  const error = maybe({
    code: maybe('NOT_FOUND'),
    message: maybe('No such record'),
    ...(next() < 0.5 ? { details: maybe({ issues: [] }) } : {}),
  });
  const result = maybe(
    next() < 0.5 ? { ok: maybe(true), value: odd() } : { ok: maybe(false), error },
  );
  const event = maybe({
    name: maybe(pick(['lock.changed', 'progress', 'data.changed', 'other'])),
    data: maybe({ locked: true }),
  });
  return maybe(
    next() < 0.5
      ? { type: maybe('result'), id: maybe(pick([0, 1, 99, 2 ** 40])), result }
      : { type: maybe('event'), event },
  );
}

describe('parseApiServerMessage', () => {
  it('accepts what the envelope schema accepts, with the same result', () => {
    for (const message of VALID) {
      expect(parseApiServerMessage(message)).not.toBeNull();
      expectSameAnswer(message);
    }
  });

  it('refuses what the envelope schema refuses', () => {
    for (const message of INVALID) {
      expect(parseApiServerMessage(message)).toBeNull();
      expectSameAnswer(message);
    }
  });

  it('agrees with the envelope schema on 5,000 messages near the real shapes', () => {
    const next = random(0x5eed);
    let accepted = 0;
    for (let i = 0; i < 5_000; i++) {
      const message = mutated(next);
      // Round-trip through JSON, as a WebSocket frame does (undefined fields disappear).
      const framed: unknown =
        message === undefined ? undefined : JSON.parse(JSON.stringify(message));
      expectSameAnswer(framed);
      if (parseApiServerMessage(framed) !== null) accepted += 1;
    }
    // Both kinds of answer occur, so the comparison is not one-sided.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(4_500);
  });

  it('keeps no key the schema would drop, so nothing extra reaches a screen', () => {
    const parsed = parseApiServerMessage({
      type: 'result',
      id: 3,
      extra: 1,
      result: { ok: false, error: { code: 'X', message: 'm', stack: 'at core' } },
    });
    expect(parsed).toEqual({
      type: 'result',
      id: 3,
      result: { ok: false, error: { code: 'X', message: 'm' } },
    });
    expect(Object.keys(parsed ?? {})).toEqual(['type', 'id', 'result']);
  });
});
