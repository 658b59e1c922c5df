import type { PoolClient } from 'pg';

import type { AuditRepository } from '../audit.repository.js';
import type { ChangeLogRepository } from '../change-log.repository.js';
import type { CounterRepository } from '../counter.repository.js';
import type { DeviceApprovalRepository } from '../device-approval.repository.js';
import type { KeyDirectoryRepository } from '../key-directory.repository.js';
import type { LogPruningRepository } from '../log-pruning.repository.js';
import type { InvoiceNumberRepository } from '../invoice-number.repository.js';
import type { MetaRepository } from '../meta.repository.js';
import type { MfaRepository } from '../mfa.repository.js';
import type { SealedColumnRotation, SealedRowRewrite } from '../sealed-columns.js';
import { assertRotationIdentifiers } from '../sealed-columns.js';
import type { SessionRepository } from '../session.repository.js';
import type { SnapshotRepository } from '../snapshot.repository.js';
import type { ExclusiveRun, Storage } from '../storage.js';
import type { UserRepository } from '../user.repository.js';
import type { WorkspaceRepository } from '../workspace.repository.js';
import { PostgresAuditRepository } from './audit.postgres-repository.js';
import { PostgresChangeLogRepository } from './change-log.postgres-repository.js';
import { PostgresCounterRepository } from './counter.postgres-repository.js';
import { PostgresDeviceApprovalRepository } from './device-approval.postgres-repository.js';
import { PostgresInvoiceNumberRepository } from './invoice-number.postgres-repository.js';
import { PostgresKeyDirectoryRepository } from './key-directory.postgres-repository.js';
import { PostgresLogPruningRepository } from './log-pruning.postgres-repository.js';
import { PostgresMetaRepository } from './meta.postgres-repository.js';
import { PostgresMfaRepository } from './mfa.postgres-repository.js';
import { runPgMigrations } from './migrations/run-migrations.js';
import { createPgDatabase } from './pg-database.js';
import type { PgDatabase } from './pg-database.js';
import { PostgresSessionRepository } from './session.postgres-repository.js';
import { PostgresSnapshotRepository } from './snapshot.postgres-repository.js';
import { PostgresUserRepository } from './user.postgres-repository.js';
import { PostgresWorkspaceRepository } from './workspace.postgres-repository.js';

/**
 * The networked storage: PostgreSQL through a `pg` pool, for several server instances on
 * one database. Repository classes are `postgres/<name>.postgres-repository.ts` with
 * `constructor(db)`; each query runs on the connection of the caller's open transaction,
 * if any (pg-database.ts).
 */
export class PostgresStorage implements Storage {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly mfa: MfaRepository;
  readonly audit: AuditRepository;
  readonly meta: MetaRepository;
  readonly counters: CounterRepository;
  readonly workspaces: WorkspaceRepository;
  readonly changeLog: ChangeLogRepository;
  readonly keys: KeyDirectoryRepository;
  readonly invoiceNumbers: InvoiceNumberRepository;
  readonly deviceApprovals: DeviceApprovalRepository;
  readonly snapshots: SnapshotRepository;
  readonly logPruning: LogPruningRepository;
  private closed = false;
  /** The connection holding this process's claim on the database (see `claim`). */
  private claimHolder: PoolClient | undefined;

  /** Takes a migrated database; use `openPostgresStorage` to connect and migrate. */
  constructor(readonly db: PgDatabase) {
    this.users = new PostgresUserRepository(db);
    this.sessions = new PostgresSessionRepository(db);
    this.mfa = new PostgresMfaRepository(db);
    this.audit = new PostgresAuditRepository(db);
    this.meta = new PostgresMetaRepository(db);
    this.counters = new PostgresCounterRepository(db);
    this.workspaces = new PostgresWorkspaceRepository(db);
    this.changeLog = new PostgresChangeLogRepository(db);
    this.keys = new PostgresKeyDirectoryRepository(db);
    this.invoiceNumbers = new PostgresInvoiceNumberRepository(db);
    this.deviceApprovals = new PostgresDeviceApprovalRepository(db);
    this.snapshots = new PostgresSnapshotRepository(db);
    this.logPruning = new PostgresLogPruningRepository(db);
  }

  /**
   * SERIALIZABLE, run again on a serialization failure: services check and then write
   * inside it (a request limit, the next key version) and count on no other request's
   * writes landing in between, as on SQLite's one connection.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn, 'serializable');
  }

  async rewriteSealedColumns(
    rotations: readonly SealedColumnRotation[],
    rewrite: SealedRowRewrite,
  ): Promise<number> {
    return this.db.transaction(async () => {
      let count = 0;
      for (const rotation of rotations) {
        assertRotationIdentifiers(rotation);
        const columns = [
          ...rotation.sealedColumns.map((c) => c.column),
          ...rotation.lookupColumns.map((c) => c.column),
        ];
        const { rows } = await this.db.query<Record<string, string | null>>(
          `SELECT ${rotation.idColumn} AS row_id, ${columns.join(', ')} FROM ${rotation.table}
            FOR UPDATE`,
        );
        const update =
          `UPDATE ${rotation.table} SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} ` +
          `WHERE ${rotation.idColumn} = $1`;
        for (const row of rows) {
          const rowId = String(row.row_id);
          const next = rewrite(rotation, rowId, row);
          const values = columns.map((column) =>
            column in next ? (next[column] ?? null) : (row[column] ?? null),
          );
          await this.db.query(update, [rowId, ...values]);
          count += 1;
        }
      }
      return count;
    }, 'read committed');
  }

  /**
   * Holds a session advisory lock named after the job and this schema on a connection of
   * its own while `job` runs (on other connections), so of several instances only one runs
   * it at a time and the others skip it; `pg_try_advisory_lock` never waits. A connection
   * that breaks meanwhile ends its session, and the lock with it.
   */
  async runExclusive<T>(name: string, job: () => Promise<T>): Promise<ExclusiveRun<T>> {
    const holder = await this.db.pool.connect();
    let broken = false;
    // Idle while the job runs on other connections: a break (the database restarted) must
    // not go unheard, which would end the process; it ends the lock with the session.
    const onError = (): void => {
      broken = true;
    };
    holder.on('error', onError);
    try {
      let locked: boolean;
      try {
        const { rows } = await holder.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_lock(${JOB_LOCK}) AS locked`,
          [name],
        );
        locked = rows[0]?.locked === true;
      } catch (error) {
        broken = true;
        throw error;
      }
      if (!locked) return { ran: false };
      try {
        return { ran: true, value: await job() };
      } finally {
        await holder.query(`SELECT pg_advisory_unlock(${JOB_LOCK})`, [name]).catch(() => {
          broken = true;
        });
      }
    } finally {
      holder.removeListener('error', onError);
      // A connection that may still hold the lock is closed, never handed to anyone else.
      holder.release(broken);
    }
  }

  /** The pool's connections: open, idle, and callers waiting for one (for the metrics). */
  poolStats(): { total: number; idle: number; waiting: number } {
    const { pool } = this.db;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }

  /**
   * Claims the database for this process until `close`, on a connection of its own: a
   * server takes a shared claim (any number of instances run side by side), a maintenance
   * command (rotate-master-key, mark-restored) an exclusive one. Either fails at once with
   * DatabaseInUseError while the other kind is held, so a key is never rotated under
   * running instances that still hold the old one.
   */
  async claim(mode: 'shared' | 'exclusive'): Promise<void> {
    if (this.claimHolder !== undefined) throw new Error('The database is already claimed');
    const client = await this.db.pool.connect();
    client.on('error', () => this.claimLost(client, mode));
    try {
      const fn = mode === 'shared' ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock';
      const { rows } = await client.query<{ claimed: boolean }>(
        `SELECT ${fn}(${CLAIM_LOCK}) AS claimed`,
      );
      if (rows[0]?.claimed !== true) throw new DatabaseInUseError(mode);
    } catch (error) {
      client.release();
      throw error;
    }
    this.claimHolder = client;
  }

  /**
   * The claim's connection broke (the database restarted), and the claim went with its
   * session: it is taken again as soon as the database answers, so a maintenance command
   * still finds the running instances.
   */
  private claimLost(client: PoolClient, mode: 'shared' | 'exclusive'): void {
    if (this.claimHolder !== client) return;
    this.claimHolder = undefined;
    client.release(true);
    const retry = (): void => {
      if (this.closed) return;
      this.claim(mode).catch(() => {
        setTimeout(retry, RECLAIM_INTERVAL_MS).unref();
      });
    };
    setTimeout(retry, RECLAIM_INTERVAL_MS).unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const holder = this.claimHolder;
    this.claimHolder = undefined;
    if (holder !== undefined) {
      // Let go on the server before answering, so whoever waits can claim at once; a broken
      // connection is dropped, which ends its session and the claim with it.
      const unlocked = await holder.query('SELECT pg_advisory_unlock_all()').then(
        () => true,
        () => false,
      );
      holder.release(!unlocked);
    }
    await this.db.close();
  }
}

/** How often a claim lost with its connection is tried again (`claimLost`). */
const RECLAIM_INTERVAL_MS = 500;

/** Advisory lock key of the claim servers and maintenance commands take (`claim`). */
const CLAIM_LOCK = "hashtextextended('coffer-sync-server:serving', 0)";

/**
 * Advisory lock key of a housekeeping job (`runExclusive`, $1 = its name). Per schema:
 * advisory locks are per database, and deployments may share one with a schema each.
 */
const JOB_LOCK = "hashtextextended('coffer-sync-server:job:' || current_schema() || ':' || $1, 0)";

export class DatabaseInUseError extends Error {
  constructor(wanted: 'shared' | 'exclusive') {
    super(
      wanted === 'exclusive'
        ? 'A Coffer server is running on this database; stop every instance first.'
        : 'A maintenance command (rotate-master-key, mark-restored) is running on this database; start the server when it is done.',
    );
    this.name = 'DatabaseInUseError';
  }
}

/** Connects to `url`, applies pending migrations, returns the storage. */
export async function openPostgresStorage(url: string): Promise<PostgresStorage> {
  const db = createPgDatabase(url);
  try {
    await runPgMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new PostgresStorage(db);
}
