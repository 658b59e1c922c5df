import { describe, expect, it } from 'vitest';
import { openingPath } from './start-queries.js';

describe('openingPath', () => {
  it('leads the bare address and #/ to the first screen, the dashboard', () => {
    for (const hash of ['', '#', '#/']) expect(openingPath(hash)).toBe('dashboard');
  });

  it('names the screen of any other address, so its data is not asked for the dashboard', () => {
    expect(openingPath('#/dashboard')).toBe('dashboard');
    expect(openingPath('#/transactions')).toBe('transactions');
    expect(openingPath('#/invoices/inv_1')).toBe('invoices');
    expect(openingPath('#/reports?month=2026-01')).toBe('reports');
  });
});
