import { describe, expect, it } from 'vitest';
import { AppSession } from '../app-session.js';
import { answerValue, openApiTestApp, type ApiAnswer } from '../testing/api-test-app.js';

type Answer = ApiAnswer;

interface Harness {
  session: AppSession;
  call(service: string, method: string, input?: unknown): Promise<Answer>;
  /** Calls that must succeed; the value typed as the test expects it. */
  value<T>(service: string, method: string, input?: unknown): Promise<T>;
}

async function openHarness(): Promise<Harness> {
  const { session, call } = await openApiTestApp();
  const value = async <T>(service: string, method: string, input: unknown = {}): Promise<T> =>
    answerValue<T>(await call(service, method, input));
  return { session, call, value };
}

// A well-formed id no record has: ids are UUIDv7 made from the vault's clock, never all zero.
const UNKNOWN_ID = '00000000-0000-7000-8000-000000000000';

interface Tx {
  id: string;
  amountMinor: number;
  splits: { amountMinor: number }[];
}

describe('transactions over the API', () => {
  it('pages a search with the total of all matching rows', async () => {
    const h = await openHarness();
    await h.value('accounts', 'create', { name: 'Checking', currency: 'EUR' });
    for (let day = 1; day <= 5; day++) {
      await h.value('transactions', 'create', {
        accountId: 'Checking',
        date: `2026-03-0${day}`,
        amountMinor: -100 * day,
        payeeName: day % 2 === 0 ? 'Bakery 50%' : 'Grocer',
      });
    }
    const page = await h.value<{ items: Tx[]; total: number }>('transactions', 'list', {
      search: 'grocer',
      limit: 2,
      offset: 0,
    });
    expect(page.total).toBe(3);
    expect(page.items.map((t) => t.amountMinor)).toEqual([-500, -300]);
    const next = await h.value<{ items: Tx[]; total: number }>('transactions', 'list', {
      search: 'grocer',
      limit: 2,
      offset: 2,
    });
    expect(next.items.map((t) => t.amountMinor)).toEqual([-100]);
    const literal = await h.value<{ total: number }>('transactions', 'list', { search: '50%' });
    expect(literal.total).toBe(2);
  });

  it('refuses bad filters with their own codes', async () => {
    const h = await openHarness();
    expect(await h.call('transactions', 'list', { search: 'x'.repeat(201) })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await h.call('transactions', 'list', { search: 42 })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await h.call('transactions', 'list', { accountId: 'Nowhere' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('answers NOT_FOUND for an unknown transaction id and changes nothing', async () => {
    const h = await openHarness();
    await h.value('accounts', 'create', { name: 'Checking', currency: 'EUR' });
    expect(await h.call('transactions', 'get', { id: UNKNOWN_ID })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      await h.call('transactions', 'update', { id: UNKNOWN_ID, patch: { notes: 'x' } }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.call('transactions', 'delete', { id: UNKNOWN_ID })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await h.value<{ total: number }>('transactions', 'list', {})).toMatchObject({
      total: 0,
    });
  });

  it('edits splits that sum, and refuses ones that do not with SPLITS_DO_NOT_SUM', async () => {
    const h = await openHarness();
    await h.value('accounts', 'create', { name: 'Checking', currency: 'EUR' });
    await h.value('categories', 'create', { name: 'Food' });
    await h.value('categories', 'create', { name: 'Home' });
    const tx = await h.value<Tx>('transactions', 'create', {
      accountId: 'Checking',
      date: '2026-03-01',
      amountMinor: -3000,
      categoryId: 'Food',
    });
    const wrong = await h.call('transactions', 'update', {
      id: tx.id,
      patch: {
        categoryId: null,
        splits: [
          { categoryId: 'Food', amountMinor: -1000 },
          { categoryId: 'Home', amountMinor: -1000 },
        ],
      },
    });
    expect(wrong).toMatchObject({ ok: false, code: 'SPLITS_DO_NOT_SUM' });
    expect(await h.value<Tx>('transactions', 'get', { id: tx.id })).toMatchObject({
      splits: [],
    });
    const split = await h.value<Tx>('transactions', 'update', {
      id: tx.id,
      patch: {
        categoryId: null,
        splits: [
          { categoryId: 'Food', amountMinor: -1000 },
          { categoryId: 'Home', amountMinor: -2000 },
        ],
      },
    });
    expect(split.splits.map((s) => s.amountMinor)).toEqual([-1000, -2000]);
  });
});

describe('reviews over the API', () => {
  it('answers NOT_FOUND for an unknown review and refuses an unknown action', async () => {
    const h = await openHarness();
    expect(await h.call('reviews', 'resolve', { id: UNKNOWN_ID, action: 'keep' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await h.call('reviews', 'resolve', { id: UNKNOWN_ID, action: 'merge' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });

  it('lists an open review, counts it, and deletes the imported transaction on resolve', async () => {
    const h = await openHarness();
    await h.value('accounts', 'create', { name: 'Checking', currency: 'EUR' });
    const first = await h.value<Tx>('transactions', 'create', {
      accountId: 'Checking',
      date: '2026-03-01',
      amountMinor: -500,
    });
    const second = await h.value<Tx>('transactions', 'create', {
      accountId: 'Checking',
      date: '2026-03-01',
      amountMinor: -500,
    });
    h.session.services().transactionReviews.flag({
      transactionId: second.id,
      reason: 'possible_duplicate',
      relatedTransactionId: first.id,
    });
    expect(await h.value<number>('reviews', 'count')).toBe(1);
    const [review] = await h.value<{ id: string; transactionId: string }[]>('reviews', 'list');
    expect(review?.transactionId).toBe(second.id);
    await h.value('reviews', 'resolve', { id: review?.id, action: 'delete' });
    expect(await h.value<number>('reviews', 'count')).toBe(0);
    expect(await h.call('transactions', 'get', { id: second.id })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await h.call('transactions', 'get', { id: first.id })).toMatchObject({ ok: true });
  });
});

describe('categories over the API', () => {
  it('refuses to delete a category in use with INVALID_STATE and keeps it', async () => {
    const h = await openHarness();
    await h.value('accounts', 'create', { name: 'Checking', currency: 'EUR' });
    await h.value('categories', 'create', { name: 'Food' });
    await h.value('transactions', 'create', {
      accountId: 'Checking',
      date: '2026-03-01',
      amountMinor: -100,
      categoryId: 'Food',
    });
    expect(await h.call('categories', 'delete', { ref: 'Food' })).toMatchObject({
      ok: false,
      code: 'INVALID_STATE',
    });
    expect(await h.value<{ name: string }[]>('categories', 'list')).toMatchObject([
      { name: 'Food' },
    ]);
    expect(await h.call('categories', 'delete', { ref: UNKNOWN_ID })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});
