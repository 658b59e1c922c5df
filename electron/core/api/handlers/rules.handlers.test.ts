import { describe, expect, it } from 'vitest';
import { answerValue, openApiTestApp } from '../testing/api-test-app.js';

// A well-formed id no rule has: ids are UUIDv7 from the vault's clock, never all zero.
const UNKNOWN_ID = '00000000-0000-7000-8000-000000000000';

describe('payee rules over the API', () => {
  it('adds rules in order, lists them, and removes one', async () => {
    const { call } = await openApiTestApp();
    answerValue(await call('categories', 'create', { name: 'Shopping', kind: 'expense' }));
    const amazon = answerValue<{ id: string }>(
      await call('rules', 'add', {
        matchKind: 'contains',
        pattern: 'AMZN',
        renameTo: 'Amazon',
        category: 'Shopping',
      }),
    );
    answerValue(
      await call('rules', 'add', {
        matchKind: 'starts_with',
        pattern: 'SQ *',
        category: 'Shopping',
      }),
    );
    expect(await call('rules', 'list')).toMatchObject({
      ok: true,
      value: [
        { pattern: 'AMZN', renameTo: 'Amazon', position: 1 },
        { pattern: 'SQ *', renameTo: null, position: 2 },
      ],
    });
    expect(await call('rules', 'remove', { ref: amazon.id })).toMatchObject({
      ok: true,
      value: { pattern: 'AMZN' },
    });
    expect(await call('rules', 'list')).toMatchObject({ ok: true, value: [{ pattern: 'SQ *' }] });
  });

  it('refuses a rule that does nothing, a regex that can backtrack, and an unknown category, writing nothing', async () => {
    const { call } = await openApiTestApp();
    expect(await call('rules', 'add', { matchKind: 'contains', pattern: 'AMZN' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await call('rules', 'add', { matchKind: 'regex', pattern: '(a+)+$', renameTo: 'Evil' }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(
      await call('rules', 'add', {
        matchKind: 'contains',
        pattern: 'X',
        category: 'No such category',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await call('rules', 'list')).toEqual({ ok: true, value: [] });
    expect(await call('rules', 'remove', { ref: UNKNOWN_ID })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});
