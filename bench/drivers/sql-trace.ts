/**
 * Records every SQL call a piece of our real code makes on a better-sqlite3 connection, so
 * the same statements, with the same parameters and the same statement reuse, can be
 * replayed on an engine that cannot run our (synchronous) services: @journeyapps/sqlcipher.
 *
 * The recording wraps the connection in a Proxy: `prepare` hands out statement proxies
 * numbered in order of preparation, and their run/get/all/iterate calls are logged with
 * their arguments; `exec`, `pragma` and `transaction` are logged as the SQL they amount to.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from '../../electron/core/vault/sqlcipher.js';

export type TraceOp =
  | { kind: 'prepare'; stmt: number; sql: string }
  | { kind: 'run' | 'get' | 'all'; stmt: number; args: unknown[] }
  | { kind: 'exec'; sql: string };

export type TraceSink = (op: TraceOp) => void;

interface TraceState {
  nextStatement: number;
  sink: TraceSink;
  /** SQL of every statement prepared so far, recorded or not. */
  sqlOf: Map<number, string>;
}

/**
 * Wraps `db` so every call is reported to `sink`. Statement numbers keep counting across
 * calls of `setSink`, so a long recording can be drained in chunks.
 */
export class TracedConnection {
  readonly db: SqliteDatabase;
  private readonly state: TraceState;

  constructor(
    readonly target: SqliteDatabase,
    sink: TraceSink = () => undefined,
  ) {
    this.state = { nextStatement: 0, sink, sqlOf: new Map() };
    this.db = traceDatabase(target, this.state);
  }

  setSink(sink: TraceSink): void {
    this.state.sink = sink;
  }

  /**
   * Runs `work` and returns the ops it issued. A statement prepared before the recording
   * began (a repository's cached statement) gets its `prepare` op just before its first use,
   * so the trace replays on a fresh connection.
   */
  record(work: (db: SqliteDatabase) => void): TraceOp[] {
    const ops: TraceOp[] = [];
    const prepared = new Set<number>();
    const previous = this.state.sink;
    this.state.sink = (op) => {
      if (op.kind === 'prepare') prepared.add(op.stmt);
      else if (op.kind !== 'exec' && !prepared.has(op.stmt)) {
        prepared.add(op.stmt);
        ops.push({ kind: 'prepare', stmt: op.stmt, sql: this.state.sqlOf.get(op.stmt) ?? '' });
      }
      ops.push(op);
    };
    try {
      work(this.db);
    } finally {
      this.state.sink = previous;
    }
    return ops;
  }
}

const TRANSACTION_MODES = {
  default: 'BEGIN',
  deferred: 'BEGIN DEFERRED',
  immediate: 'BEGIN IMMEDIATE',
  exclusive: 'BEGIN EXCLUSIVE',
} as const;

function traceDatabase(db: SqliteDatabase, state: TraceState): SqliteDatabase {
  let savepoints = 0;
  const proxy: SqliteDatabase = new Proxy(db, {
    get(target, property, receiver) {
      switch (property) {
        case 'prepare':
          return (sql: string) => {
            const stmt = state.nextStatement++;
            state.sqlOf.set(stmt, sql);
            state.sink({ kind: 'prepare', stmt, sql });
            return traceStatement(target.prepare(sql), stmt, state, () => proxy);
          };
        case 'exec':
          return (sql: string) => {
            state.sink({ kind: 'exec', sql });
            target.exec(sql);
            return proxy;
          };
        case 'pragma':
          return (source: string, options?: { simple?: boolean }) => {
            state.sink({ kind: 'exec', sql: `PRAGMA ${source}` });
            return target.pragma(source, options);
          };
        case 'transaction':
          return (fn: (...args: unknown[]) => unknown) => {
            // better-sqlite3 begins (or, nested, sets a savepoint) around `fn`; the same
            // statements are logged around the inner calls.
            const wrap =
              (mode: keyof typeof TRANSACTION_MODES) =>
              (...args: unknown[]): unknown => {
                const nested = target.inTransaction;
                const savepoint = `bench_sp_${savepoints++}`;
                state.sink({
                  kind: 'exec',
                  sql: nested ? `SAVEPOINT ${savepoint}` : TRANSACTION_MODES[mode],
                });
                let committed = false;
                try {
                  const result = target.transaction(fn)[mode](...args);
                  committed = true;
                  return result;
                } finally {
                  if (nested) {
                    state.sink({
                      kind: 'exec',
                      sql: committed
                        ? `RELEASE ${savepoint}`
                        : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`,
                    });
                  } else {
                    state.sink({ kind: 'exec', sql: committed ? 'COMMIT' : 'ROLLBACK' });
                  }
                }
              };
            const transaction = Object.assign(wrap('default'), {
              default: wrap('default'),
              deferred: wrap('deferred'),
              immediate: wrap('immediate'),
              exclusive: wrap('exclusive'),
            });
            return transaction;
          };
        default: {
          const value: unknown = Reflect.get(
            target,
            property,
            receiver === proxy ? target : receiver,
          );
          return typeof value === 'function'
            ? (value as (...a: unknown[]) => unknown).bind(target)
            : value;
        }
      }
    },
  });
  return proxy;
}

type AnyStatement = Database.Statement<unknown[], unknown>;

const CHAINING = new Set(['pluck', 'raw', 'expand', 'safeIntegers']);

function traceStatement(
  statement: AnyStatement,
  stmt: number,
  state: TraceState,
  database: () => SqliteDatabase,
): AnyStatement {
  const proxy: AnyStatement = new Proxy(statement, {
    get(target, property) {
      if (property === 'run' || property === 'get' || property === 'all') {
        return (...args: unknown[]) => {
          state.sink({ kind: property, stmt, args });
          return target[property](...args);
        };
      }
      if (property === 'iterate') {
        return (...args: unknown[]) => {
          // Replayed as `all`: the async engine has no lazy cursor; both read every row.
          state.sink({ kind: 'all', stmt, args });
          return target.iterate(...args);
        };
      }
      if (property === 'database') return database();
      if (property === 'bind') {
        return () => {
          throw new Error(
            'sql-trace: Statement.bind() is not recorded; pass parameters to run/get/all',
          );
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (CHAINING.has(property as string)) {
        return (...args: unknown[]) => {
          (value as (...a: unknown[]) => unknown).apply(target, args);
          return proxy;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return proxy;
}

/** How many ops of each kind a trace holds: printed so a reader sees what was replayed. */
export function summarizeTrace(ops: readonly TraceOp[]): Record<TraceOp['kind'], number> {
  const counts: Record<TraceOp['kind'], number> = { prepare: 0, run: 0, get: 0, all: 0, exec: 0 };
  for (const op of ops) counts[op.kind] += 1;
  return counts;
}
