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
import { SqliteAuditRepository } from './audit.sqlite-repository.js';
import { SqliteChangeLogRepository } from './change-log.sqlite-repository.js';
import { SqliteCounterRepository } from './counter.sqlite-repository.js';
import { SqliteDeviceApprovalRepository } from './device-approval.sqlite-repository.js';
import { SqliteKeyDirectoryRepository } from './key-directory.sqlite-repository.js';
import { SqliteLogPruningRepository } from './log-pruning.sqlite-repository.js';
import { SqliteInvoiceNumberRepository } from './invoice-number.sqlite-repository.js';
import { SqliteMetaRepository } from './meta.sqlite-repository.js';
import { SqliteMfaRepository } from './mfa.sqlite-repository.js';
import { runMigrations } from './migrations/run-migrations.js';
import { openSqliteDatabase } from './sqlite-database.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { SqliteSessionRepository } from './session.sqlite-repository.js';
import { SqliteSnapshotRepository } from './snapshot.sqlite-repository.js';
import { gated, TransactionGate } from './transaction-gate.js';
import { SqliteUserRepository } from './user.sqlite-repository.js';
import { SqliteWorkspaceRepository } from './workspace.sqlite-repository.js';

/**
 * The embedded storage: one better-sqlite3 file in the data dir. Repository classes are
 * `sqlite/<name>.sqlite-repository.ts` with `constructor(db)`; they run their SQL
 * synchronously inside async methods (no await between statements that must stay
 * together — use `storage.transaction` for that).
 */
export class SqliteStorage implements Storage {
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
  private readonly gate = new TransactionGate();
  private closed = false;

  /** Takes a migrated database; use `openSqliteStorage` to open and migrate a file. */
  constructor(readonly db: SqliteDatabase) {
    this.users = gated(new SqliteUserRepository(db), this.gate);
    this.sessions = gated(new SqliteSessionRepository(db), this.gate);
    this.mfa = gated(new SqliteMfaRepository(db), this.gate);
    this.audit = gated(new SqliteAuditRepository(db), this.gate);
    this.meta = gated(new SqliteMetaRepository(db), this.gate);
    this.counters = gated(new SqliteCounterRepository(db), this.gate);
    this.workspaces = gated(new SqliteWorkspaceRepository(db), this.gate);
    this.changeLog = gated(new SqliteChangeLogRepository(db), this.gate);
    this.keys = gated(new SqliteKeyDirectoryRepository(db), this.gate);
    this.invoiceNumbers = gated(new SqliteInvoiceNumberRepository(db), this.gate);
    this.deviceApprovals = gated(new SqliteDeviceApprovalRepository(db), this.gate);
    this.snapshots = gated(new SqliteSnapshotRepository(db), this.gate);
    this.logPruning = gated(new SqliteLogPruningRepository(db), this.gate);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.gate.run(fn, {
      begin: () => this.db.exec('BEGIN IMMEDIATE'),
      commit: () => this.db.exec('COMMIT'),
      rollback: () => {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      },
    });
  }

  async rewriteSealedColumns(
    rotations: readonly SealedColumnRotation[],
    rewrite: SealedRowRewrite,
  ): Promise<number> {
    while (this.gate.blocked()) await this.gate.ended();
    let count = 0;
    const rewriteAll = this.db.transaction(() => {
      for (const rotation of rotations) {
        assertRotationIdentifiers(rotation);
        const columns = [
          ...rotation.sealedColumns.map((c) => c.column),
          ...rotation.lookupColumns.map((c) => c.column),
        ];
        const select = this.db.prepare(
          `SELECT ${rotation.idColumn} AS row_id, ${columns.join(', ')} FROM ${rotation.table}`,
        );
        const update = this.db.prepare(
          `UPDATE ${rotation.table} SET ${columns.map((c) => `${c} = @${c}`).join(', ')} ` +
            `WHERE ${rotation.idColumn} = @row_id`,
        );
        const rows = select.all() as Record<string, string | null>[];
        for (const row of rows) {
          const rowId = String(row.row_id);
          const next = rewrite(rotation, rowId, row);
          const params: Record<string, string | null> = { row_id: rowId };
          for (const column of columns) {
            params[column] = column in next ? (next[column] ?? null) : (row[column] ?? null);
          }
          update.run(params);
          count += 1;
        }
      }
    });
    // Joins the caller's open transaction (better-sqlite3 uses a savepoint when nested).
    rewriteAll();
    return count;
  }

  /** One process owns the database file (the data dir's lock), so nobody else runs it. */
  async runExclusive<T>(_name: string, job: () => Promise<T>): Promise<ExclusiveRun<T>> {
    return { ran: true, value: await job() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.gate.blocked()) await this.gate.ended();
    this.closed = true;
    this.db.close();
  }
}

/** Opens the database file (creating it), applies pending migrations, returns the storage. */
export function openSqliteStorage(file: string): SqliteStorage {
  const db = openSqliteDatabase(file);
  try {
    runMigrations(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStorage(db);
}
