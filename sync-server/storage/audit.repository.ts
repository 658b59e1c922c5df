import type { SignInEntry } from '../audit/sign-in-history.js';

/**
 * Persistence for the audit log (owner: audit). Every method returns a Promise so a
 * PostgreSQL implementation fits behind the same interface.
 */

/** How a request ended, for people reading the log. */
export type AuditOutcome = 'success' | 'mfa_required' | 'failure' | 'rate_limited' | 'error';

/**
 * One request. Text fields arrive already escaped (audit/audit-event.ts): no control
 * characters, no line breaks. Never a secret, token, password, code, header or body.
 */
export type AuditRecord = {
  /** uuidv7 of `at`. */
  id: string;
  /** UTC ms. */
  at: number;
  requestId: string;
  /** Method and route pattern, e.g. `POST /v1/auth/login`; `GET (no route)` for a 404. */
  action: string;
  statusCode: number;
  /** The `error.code` of the answer, or null for a success. */
  errorCode: string | null;
  outcome: AuditOutcome;
  ip: string;
  /** The signed-in caller (from the bearer token), if any. */
  userId: string | null;
  sessionId: string | null;
  workspaceId: string | null;
  /** For sign-in routes: the account the attempt was for, when it exists. */
  subjectUserId: string | null;
  /** For sign-in routes: password, totp, email, backup_code, webauthn or passkey. */
  factor: string | null;
  /** For sign-in routes: the device name the client sent. */
  deviceName: string | null;
  /** For sign-in routes: the User-Agent. */
  userAgent: string | null;
  /**
   * Pseudonyms (audit/audit-pseudonym.ts) for `userId` and `subjectUserId`, stored instead
   * of an id whose account is gone by the time the row is written: the request that
   * deleted the account, or one of its requests still in flight then.
   */
  pseudonyms?: { user: string | null; subject: string | null };
  /**
   * How many requests alike this row stands for (audit/refusal-aggregator.ts): 1, unless it
   * sums up refusals counted in a window instead of written one by one. Omitted means 1.
   */
  repeats?: number;
};

/**
 * A record as read back, with its position in the log (`seq` grows with every append).
 * Rows of a deleted account have null ids and carry its pseudonym instead.
 */
export type StoredAuditRecord = Omit<AuditRecord, 'pseudonyms' | 'repeats'> & {
  seq: number;
  repeats: number;
  userPseudonym: string | null;
  subjectPseudonym: string | null;
};

/** Keyset page of a user's sign-ins, newest first: entries written before `beforeSeq`. */
export interface SignInPage {
  limit: number;
  beforeSeq?: number | undefined;
}

/** Keyset page of one workspace's entries, newest first, narrowed by the filters given. */
export interface WorkspaceAuditQuery {
  limit: number;
  beforeSeq?: number | undefined;
  userId?: string | undefined;
  /** Exact action, e.g. `DELETE /v1/workspaces/:id/members/:userId`. */
  action?: string | undefined;
  /** Only requests that may change something: none made with GET or HEAD. */
  changesOnly?: boolean | undefined;
  outcome?: AuditOutcome | undefined;
  /** UTC ms, inclusive. */
  since?: number | undefined;
  /** UTC ms, exclusive. */
  until?: number | undefined;
}

/**
 * The condition `changesOnly` adds: an action begins with its method (audit-event.ts), and GET
 * and HEAD only read. Compared as bytes, the same on both backends (SQLite's LIKE ignores case,
 * PostgreSQL's does not).
 */
export const READS_EXCLUDED = "substr(action, 1, 4) <> 'GET ' AND substr(action, 1, 5) <> 'HEAD '";

/** How many sign-ins an account export lists at most (newest first). */
export const EXPORT_SIGN_IN_LIMIT = 10_000;

export interface AuditRepository {
  append(record: AuditRecord): Promise<void>;
  /** Rows recorded for the workspace, newest first (admins read them). */
  listForWorkspace(workspaceId: string, query: WorkspaceAuditQuery): Promise<StoredAuditRecord[]>;
  /** Rows whose `subjectUserId` is the user, newest first. */
  listSignIns(userId: string, page: SignInPage): Promise<StoredAuditRecord[]>;
  /**
   * The user's sign-in history for "export my data" (accounts/export.service.ts looks for
   * this method): at most EXPORT_SIGN_IN_LIMIT entries, newest first.
   */
  signInsFor(userId: string): Promise<SignInEntry[]>;
  /**
   * Deletes up to `batchSize` rows older than `cutoff` (UTC ms); returns how many. The prune
   * job calls it until it returns less than `batchSize`, so other requests get the database
   * in between batches.
   */
  pruneBefore(cutoff: number, batchSize: number): Promise<number>;
  /**
   * For account deletion (in its transaction): every row naming the user, as caller or as
   * the account a sign-in was for, gets `pseudonym` in place of the id, and loses its
   * device name (text the user typed, often their name or address). The rows stay until
   * the prune. Returns how many rows named the user.
   */
  pseudonymiseUser(userId: string, pseudonym: string): Promise<number>;
}
