import { describe, expect, it } from 'vitest';
import { countLedgerFetches } from './ledger-fetches.js';

const request = (id: number, service: string, method = 'list'): string =>
  JSON.stringify({ id, service, method, input: {} });
const result = (id: number, value: unknown): string =>
  JSON.stringify({ type: 'result', id, result: { ok: true, value } });

describe('countLedgerFetches', () => {
  it('counts transactions calls and the rows their lists carried', () => {
    const sent = [request(1, 'transactions'), request(2, 'transactions', 'page')];
    const received = [result(1, [{}, {}, {}]), result(2, { items: [{}, {}], total: 100_000 })];
    expect(countLedgerFetches(sent, received)).toEqual({ calls: 2, lists: 2, rows: 5 });
  });

  it('leaves out other services, refusals, events and frames that are not the protocol', () => {
    const sent = [request(1, 'transactions'), request(2, 'accounts'), 'not json', '{"id":"x"}'];
    const received = [
      result(2, [{}, {}, {}, {}]),
      JSON.stringify({
        type: 'result',
        id: 1,
        result: { ok: false, error: { code: 'X', message: 'no' } },
      }),
      JSON.stringify({ type: 'event', event: { name: 'data.changed', data: {} } }),
      '][',
    ];
    expect(countLedgerFetches(sent, received)).toEqual({ calls: 1, lists: 0, rows: 0 });
  });

  it('counts a call whose answer is not a list, without rows', () => {
    expect(countLedgerFetches([request(7, 'transactions', 'count')], [result(7, 42)])).toEqual({
      calls: 1,
      lists: 0,
      rows: 0,
    });
  });
});
