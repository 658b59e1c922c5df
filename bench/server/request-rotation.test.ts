import { describe, expect, it } from 'vitest';
import { MAX_ROTATION, leastCommonMultiple, rotatedRequests } from './request-rotation.js';

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe('rotatedRequests', () => {
  it('uses every address and token equally often', () => {
    const addresses = ['a1', 'a2', 'a3', 'a4'];
    const tokens = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const requests = rotatedRequests({ path: '/v1/me/sessions', addresses, tokens });
    expect(requests).toHaveLength(12);
    const byAddress = countBy(requests.map((r) => r.headers['x-forwarded-for'] ?? ''));
    const byToken = countBy(requests.map((r) => r.headers.authorization ?? ''));
    expect([...byAddress.values()]).toEqual([3, 3, 3, 3]);
    expect([...byToken.keys()]).toEqual(tokens.map((t) => `Bearer ${t}`));
    expect(new Set(byToken.values())).toEqual(new Set([2]));
    for (const request of requests) {
      expect(request).toMatchObject({ method: 'GET', path: '/v1/me/sessions' });
    }
  });

  it('caps the cycle, keeping the counts within one of each other', () => {
    const addresses = Array.from({ length: 250 }, (_unused, i) => `a${i}`);
    const tokens = Array.from({ length: 73 }, (_unused, i) => `t${i}`);
    const requests = rotatedRequests({ path: '/', addresses, tokens });
    expect(requests).toHaveLength(MAX_ROTATION);
    for (const counts of [
      countBy(requests.map((r) => r.headers['x-forwarded-for'] ?? '')),
      countBy(requests.map((r) => r.headers.authorization ?? '')),
    ]) {
      const values = [...counts.values()];
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    }
  });

  it('sends no Authorization header for an unauthenticated route', () => {
    const requests = rotatedRequests({ path: '/v1/health', addresses: ['a1', 'a2'], tokens: [] });
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => !('authorization' in r.headers))).toBe(true);
  });

  it('needs at least one address', () => {
    expect(() => rotatedRequests({ path: '/', addresses: [], tokens: ['t'] })).toThrow(RangeError);
  });
});

describe('leastCommonMultiple', () => {
  it('is the smallest common multiple', () => {
    expect(leastCommonMultiple(4, 6)).toBe(12);
    expect(leastCommonMultiple(64, 32)).toBe(64);
    expect(leastCommonMultiple(7, 1)).toBe(7);
    expect(() => leastCommonMultiple(0, 3)).toThrow(RangeError);
  });
});
