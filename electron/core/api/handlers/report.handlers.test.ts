import { describe, expect, it } from 'vitest';
import type { CashFlowReport, Dashboard } from '../../../../shared/domain/report.types.js';
import { openApiTestApp, type ApiTestApp } from '../testing/api-test-app.js';

async function setup(): Promise<ApiTestApp['call']> {
  return (await openApiTestApp({ now: () => Date.UTC(2025, 2, 15, 12) })).call;
}

describe('reports over the API', () => {
  it('answers the dashboard and a cash flow per currency for a two-currency vault', async () => {
    const call = await setup();
    for (const [name, currency] of [
      ['Dollars', 'USD'],
      ['Euros', 'EUR'],
    ]) {
      await call('accounts', 'create', { name, currency });
    }
    await call('transactions', 'create', {
      accountId: 'Dollars',
      date: '2025-03-02',
      amountMinor: 500,
    });
    await call('transactions', 'create', {
      accountId: 'Euros',
      date: '2025-03-02',
      amountMinor: 700,
    });
    const dashboard = await call('reports', 'dashboard');
    expect(dashboard.ok).toBe(true);
    const value = (dashboard as { value: Dashboard }).value;
    expect(value.thisMonth.map((m) => [m.currency, m.incomeMinor])).toEqual([
      ['EUR', 700],
      ['USD', 500],
    ]);
    const flow = await call('reports', 'cashFlow', { from: '2025-01', to: '2025-03' });
    expect((flow as { value: CashFlowReport }).value.totals.map((t) => t.incomeMinor)).toEqual([
      700, 500,
    ]);
  });

  it('refuses bad ranges and unknown fields with a code', async () => {
    const call = await setup();
    expect(await call('reports', 'cashFlow', { from: '2025-13', to: '2025-01' })).toMatchObject({
      ok: false,
      code: 'INVALID_DATE',
    });
    expect(await call('reports', 'cashFlow', { from: '2025-03', to: '2025-01' })).toMatchObject({
      ok: false,
      code: 'INVALID_DATE',
    });
    expect(await call('reports', 'cashFlow', { from: '1990-01', to: '2025-01' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(
      await call('reports', 'taxSummary', { from: '2025-02-30', to: '2025-03-01' }),
    ).toMatchObject({ ok: false, code: 'INVALID_DATE' });
    expect(await call('reports', 'dashboard', { currency: 'USD' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
  });

  it('answers VAULT_CLOSED before a vault is open', async () => {
    const call = await setup();
    await call('app', 'closeVault');
    expect(await call('reports', 'dashboard')).toMatchObject({ ok: false, code: 'VAULT_CLOSED' });
  });
});
