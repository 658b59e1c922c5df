import type { AuditOutcome, StoredAuditRecord } from '../audit.repository.js';

/** A row of the audit table (migrations/004-audit.ts, 006) as both storage backends read it. */
export interface AuditRow {
  seq: number;
  id: string;
  at: number;
  request_id: string;
  action: string;
  status_code: number;
  error_code: string | null;
  outcome: AuditOutcome;
  ip: string;
  user_id: string | null;
  session_id: string | null;
  workspace_id: string | null;
  subject_user_id: string | null;
  factor: string | null;
  device_name: string | null;
  user_agent: string | null;
  user_pseudonym: string | null;
  subject_pseudonym: string | null;
  repeats: number;
}

export const toAuditRecord = (row: AuditRow): StoredAuditRecord => ({
  seq: row.seq,
  id: row.id,
  at: row.at,
  requestId: row.request_id,
  action: row.action,
  statusCode: row.status_code,
  errorCode: row.error_code,
  outcome: row.outcome,
  ip: row.ip,
  userId: row.user_id,
  sessionId: row.session_id,
  workspaceId: row.workspace_id,
  subjectUserId: row.subject_user_id,
  factor: row.factor,
  deviceName: row.device_name,
  userAgent: row.user_agent,
  userPseudonym: row.user_pseudonym,
  subjectPseudonym: row.subject_pseudonym,
  repeats: row.repeats,
});
