import type { AuditRepository } from './audit.repository.js';
import type { ChangeLogRepository } from './change-log.repository.js';
import type { CounterRepository } from './counter.repository.js';
import type { DeviceApprovalRepository } from './device-approval.repository.js';
import type { KeyDirectoryRepository } from './key-directory.repository.js';
import type { LogPruningRepository } from './log-pruning.repository.js';
import type { InvoiceNumberRepository } from './invoice-number.repository.js';
import type { MetaRepository } from './meta.repository.js';
import type { MfaRepository } from './mfa.repository.js';
import type { SealedColumnRotation, SealedRowRewrite } from './sealed-columns.js';
import type { SessionRepository } from './session.repository.js';
import type { SnapshotRepository } from './snapshot.repository.js';
import type { UserRepository } from './user.repository.js';
import type { WorkspaceRepository } from './workspace.repository.js';

/**
 * Everything the server persists, behind one interface with two implementations that pass
 * the same tests (`describeStorage`, test/support/storage-backends.ts): the embedded SQLite
 * one (sqlite/sqlite-storage.ts) and PostgreSQL (postgres/postgres-storage.ts) for several
 * instances on one database. Every repository method returns a Promise.
 */
export interface Storage {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly mfa: MfaRepository;
  readonly audit: AuditRepository;
  readonly meta: MetaRepository;
  /** Login backoff, second-factor failures, owner mails sent, per-account request rate. */
  readonly counters: CounterRepository;
  /** Workspaces, members, invites and their security policy. */
  readonly workspaces: WorkspaceRepository;
  /** Each workspace's log of encrypted changes (push and pull). */
  readonly changeLog: ChangeLogRepository;
  /** Public keys and sealed key boxes of users, devices and workspaces. */
  readonly keys: KeyDirectoryRepository;
  /** Each workspace's invoice numbers, bound to the invoices they were given to. */
  readonly invoiceNumbers: InvoiceNumberRepository;
  /** New devices' requests for the user key, and the boxes other devices sealed for them. */
  readonly deviceApprovals: DeviceApprovalRepository;
  /** Workspace snapshots: manifests and their chunks of ciphertext. */
  readonly snapshots: SnapshotRepository;
  /** Devices' pull cursors and how far each workspace's change log was pruned. */
  readonly logPruning: LogPruningRepository;

  /**
   * Runs `fn` atomically: every repository call made from inside `fn` (awaited, in its
   * async context) commits or rolls back together, and no other request's writes land in
   * between (SQLite: they wait for it; PostgreSQL: SERIALIZABLE, and `fn` may be run again
   * after a serialization failure, so it must do nothing but storage calls and checks).
   * Keep the body short: no network, no Argon2 inside. A nested `transaction` joins the
   * outer one. Throwing (or rejecting) rolls everything back.
   *
   *   await deps.storage.transaction(async () => {
   *     await deps.storage.users.create(user);
   *     await deps.storage.sessions.create(session);
   *   });
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;

  /**
   * For rotate-master-key: reads every row of each rotation's table and writes back what
   * `rewrite` returns for its sealed and lookup columns. Call inside `transaction`.
   * Returns the number of rows rewritten.
   */
  rewriteSealedColumns(
    rotations: readonly SealedColumnRotation[],
    rewrite: SealedRowRewrite,
  ): Promise<number>;

  /**
   * Runs the housekeeping job `name` unless another server instance on the same database is
   * running it right now, and answers whether it ran. On SQLite one process owns the file,
   * so it always runs; on PostgreSQL a session advisory lock per job and schema decides.
   */
  runExclusive<T>(name: string, job: () => Promise<T>): Promise<ExclusiveRun<T>>;

  /** A connection pool's use, for the metrics; undefined where there is no pool (SQLite). */
  poolStats?(): { total: number; idle: number; waiting: number };

  close(): Promise<void>;
}

/** What `Storage.runExclusive` did: ran the job (with its result), or left it to another. */
export type ExclusiveRun<T> = { ran: true; value: T } | { ran: false };
