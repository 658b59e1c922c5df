import { describe, expect, it } from 'vitest';
import { isApiError } from './api-error.js';
import type { ApiResult } from './api-envelope.js';
import { buildCofferApi, COFFER_API, findApiMethod } from './coffer-api.js';

describe('buildCofferApi', () => {
  it('has exactly the methods of the table, frozen', () => {
    const api = buildCofferApi(async () => ({ ok: true, value: null }));
    expect(Object.keys(api).sort()).toEqual(Object.keys(COFFER_API).sort());
    for (const [service, methods] of Object.entries(COFFER_API)) {
      const group = (api as unknown as Record<string, Record<string, unknown>>)[service];
      expect(Object.keys(group ?? {}).sort()).toEqual(Object.keys(methods).sort());
      expect(Object.isFrozen(group)).toBe(true);
    }
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends service, method and input, and resolves with the value', async () => {
    const sent: unknown[] = [];
    const api = buildCofferApi(async (service, method, input) => {
      sent.push([service, method, input]);
      return { ok: true, value: [{ name: 'Checking' }] };
    });
    await expect(api.accounts.list({ includeArchived: true })).resolves.toEqual([
      { name: 'Checking' },
    ]);
    expect(sent).toEqual([['accounts', 'list', { includeArchived: true }]]);
  });

  it('rejects with an ApiError carrying the code, message and field errors', async () => {
    const refusal: ApiResult = {
      ok: false,
      error: {
        code: 'UNKNOWN_CURRENCY',
        message: 'Invalid accounts.create: currency: unknown',
        details: { issues: [{ path: ['currency'], message: 'unknown' }] },
      },
    };
    const api = buildCofferApi(async () => refusal);
    const error: unknown = await api.accounts
      .create({ name: 'X', currency: 'EURO' })
      .catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    if (!isApiError(error)) return;
    expect(error.code).toBe('UNKNOWN_CURRENCY');
    expect(error.fieldErrors()).toEqual({ currency: 'unknown' });
  });
});

describe('findApiMethod', () => {
  it('finds listed methods only, never inherited properties', () => {
    expect(findApiMethod('accounts', 'list')).toBeDefined();
    expect(findApiMethod('accounts', 'constructor')).toBeUndefined();
    expect(findApiMethod('__proto__', 'toString')).toBeUndefined();
    expect(findApiMethod('toString', 'call')).toBeUndefined();
  });
});
