import { describe, expect, it } from 'vitest';

import { ServerMetrics } from './server-metrics.js';

async function series(metrics: ServerMetrics, name: string): Promise<number> {
  const { body } = await metrics.render();
  const line = body.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

describe('ServerMetrics', () => {
  it('counts 429s by route, and refused second factors by step', async () => {
    const metrics = new ServerMetrics();
    metrics.observeRequest('/v1/auth/login', 'POST', 429, 0.01);
    metrics.observeRequest('/v1/auth/login/mfa', 'POST', 401, 0.01);
    metrics.observeRequest('/v1/auth/webauthn/verify', 'POST', 401, 0.01);
    metrics.observeRequest('/v1/auth/step-up', 'POST', 401, 0.01);
    metrics.observeRequest('/v1/auth/login/mfa', 'POST', 200, 0.01);
    expect(await series(metrics, 'coffer_rate_limited_total{route="/v1/auth/login"}')).toBe(1);
    // A 429 is a limit, not a wrong password.
    expect(await series(metrics, 'coffer_sign_in_failures_total')).toBe(0);
    expect(await series(metrics, 'coffer_second_factor_failures_total{step="sign_in"}')).toBe(2);
    expect(await series(metrics, 'coffer_second_factor_failures_total{step="step_up"}')).toBe(1);
  });

  it('labels unmatched requests as "(no route)" and reads gauges at scrape time', async () => {
    let sockets = 3;
    const metrics = new ServerMetrics({
      openSockets: () => sockets,
      storagePool: () => ({ total: 4, idle: 1, waiting: 2 }),
    });
    metrics.observeRequest(null, 'GET', 404, 0.001);
    expect(
      await series(
        metrics,
        'coffer_http_requests_total{route="(no route)",method="GET",status="404"}',
      ),
    ).toBe(1);
    expect(await series(metrics, 'coffer_sync_websockets')).toBe(3);
    sockets = 0;
    expect(await series(metrics, 'coffer_sync_websockets')).toBe(0);
    expect(await series(metrics, 'coffer_storage_connections{state="waiting"}')).toBe(2);
  });

  it('keeps each server its own registry', async () => {
    const a = new ServerMetrics();
    const b = new ServerMetrics();
    a.countPull(5, 100);
    expect(await series(a, 'coffer_sync_pulled_changes_total')).toBe(5);
    expect(await series(b, 'coffer_sync_pulled_changes_total')).toBe(0);
  });
});
