import type { WorkspaceAuditAction } from '../../../../shared/api/workspace-audit-actions.js';
import type { AUDIT_OUTCOMES } from '../../../../shared/api/workspace.methods.js';

/** An entry's outcome in words; the server's error code, when it gave one, goes beneath. */
export const AUDIT_OUTCOME_WORDS: Readonly<Record<(typeof AUDIT_OUTCOMES)[number], string>> = {
  success: 'Done',
  mfa_required: 'Asked for a second factor',
  failure: 'Refused',
  rate_limited: 'Refused: too many requests',
  error: 'Failed on the server',
};

/**
 * The audit log's filters as a window offers them, and the query the core takes. Event
 * types are the server's route patterns of what members and admins do in a workspace.
 */
export const AUDIT_EVENT_TYPES = [
  { id: '', label: 'All events' },
  { id: 'POST /v1/workspaces/:id/invites', label: 'Invites' },
  { id: 'POST /v1/invites/:token/accept', label: 'Joins' },
  { id: 'PATCH /v1/workspaces/:id/members/:userId', label: 'Role changes' },
  { id: 'DELETE /v1/workspaces/:id/members/:userId', label: 'Removals' },
  { id: 'PUT /v1/workspaces/:id/policy', label: 'Policy changes' },
  { id: 'DELETE /v1/workspaces/:id/sessions/:sessionId', label: 'Sessions signed out' },
  { id: 'POST /v1/workspaces/:id/sync/push', label: 'Changes pushed' },
] as const satisfies readonly { id: WorkspaceAuditAction | ''; label: string }[];

export interface AuditFilters {
  action: string;
  userId: string;
  /** `YYYY-MM-DD`, the first day shown (UTC), or ''. */
  from: string;
  /** `YYYY-MM-DD`, the last day shown (UTC), or ''. */
  to: string;
  /**
   * Also the requests that only read. Every device reads keys, members and changes as it
   * syncs, so they would bury what people did; they are left out unless asked for.
   */
  includeReads: boolean;
}

export const NO_FILTERS: AuditFilters = {
  action: '',
  userId: '',
  from: '',
  to: '',
  includeReads: false,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The core's query for `filters`: `until` is the day after `to`, as the route's end is exclusive. */
export function auditQuery(
  filters: AuditFilters,
  cursor: string | null,
  limit: number,
): {
  limit: number;
  cursor?: string;
  action?: string;
  changesOnly?: true;
  userId?: string;
  since?: string;
  until?: string;
} {
  const query: ReturnType<typeof auditQuery> = { limit };
  if (cursor !== null) query.cursor = cursor;
  if (filters.action !== '') query.action = filters.action;
  if (!filters.includeReads) query.changesOnly = true;
  if (filters.userId !== '') query.userId = filters.userId;
  if (DAY.test(filters.from)) query.since = `${filters.from}T00:00:00Z`;
  if (DAY.test(filters.to)) {
    const next = new Date(`${filters.to}T00:00:00Z`);
    if (!Number.isNaN(next.getTime())) {
      next.setUTCDate(next.getUTCDate() + 1);
      query.until = `${next.toISOString().slice(0, 19)}Z`;
    }
  }
  return query;
}
