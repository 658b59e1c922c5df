import { describe, expect, it } from 'vitest';
import { NO_FILTERS, auditQuery } from './audit-filters.js';

describe('auditQuery', () => {
  it('asks for the changes only with no filters, and for the reads too when asked', () => {
    expect(auditQuery(NO_FILTERS, null, 20)).toEqual({ limit: 20, changesOnly: true });
    expect(auditQuery({ ...NO_FILTERS, includeReads: true }, null, 20)).toEqual({ limit: 20 });
  });

  it('takes the dates as whole UTC days, the last one included', () => {
    expect(auditQuery({ ...NO_FILTERS, from: '2026-02-28', to: '2026-02-28' }, 'c1', 10)).toEqual({
      limit: 10,
      cursor: 'c1',
      changesOnly: true,
      since: '2026-02-28T00:00:00Z',
      until: '2026-03-01T00:00:00Z',
    });
    expect(auditQuery({ ...NO_FILTERS, to: '2026-12-31' }, null, 5).until).toBe(
      '2027-01-01T00:00:00Z',
    );
  });

  it('passes the event type and member, and drops a day that is not one', () => {
    expect(
      auditQuery(
        {
          action: 'PUT /v1/workspaces/:id/policy',
          userId: 'u1',
          from: 'soon',
          to: '',
          includeReads: true,
        },
        null,
        5,
      ),
    ).toEqual({ limit: 5, action: 'PUT /v1/workspaces/:id/policy', userId: 'u1' });
  });
});
