import { describe, expect, it } from 'vitest';
import { PER_ACCOUNT_LIMIT, accountsForLoad, requestsAllowed } from './account-budget.js';

describe('requestsAllowed', () => {
  it('is the full bucket plus what refills meanwhile', () => {
    expect(requestsAllowed(PER_ACCOUNT_LIMIT, 0)).toBe(600);
    expect(requestsAllowed(PER_ACCOUNT_LIMIT, 12)).toBe(720);
  });
});

describe('accountsForLoad', () => {
  it('spreads the load so no account reaches its limit, with headroom', () => {
    // 3,000 req/s for 12 s = 36,000 requests; 720 per account; 25 % more = 62.5 → 63.
    const accounts = accountsForLoad({
      requestsPerSecond: 3000,
      seconds: 12,
      headroom: 1.25,
      min: 32,
    });
    expect(accounts).toBe(63);
    expect((3000 * 12) / accounts).toBeLessThan(requestsAllowed(PER_ACCOUNT_LIMIT, 12));
  });

  it('never goes below the minimum', () => {
    expect(accountsForLoad({ requestsPerSecond: 10, seconds: 12, headroom: 1.25, min: 32 })).toBe(
      32,
    );
  });
});
