/**
 * Promise wrapper over @journeyapps/sqlcipher's callback API, and the replay of a recorded
 * trace (sql-trace.ts) on it. The connection runs in serialized mode, and the replay awaits
 * every call before issuing the next one: that is how our services would have to drive an
 * async engine (each write's change record reads `record_clocks` first), and it is the
 * only way node-sqlite3 guarantees statement order across prepared statements.
 */
import sqlcipher from '@journeyapps/sqlcipher';
import type { TraceOp } from './sql-trace.js';

type Sqlite3Database = InstanceType<typeof sqlcipher.Database>;
type Sqlite3Statement = InstanceType<typeof sqlcipher.Statement>;
type Binding = unknown[] | Record<string, unknown>;

export class JourneyappsConnection {
  private readonly statements = new Map<number, Sqlite3Statement>();
  private readonly prefixes = new Map<number, Map<string, string>>();
  private readonly sqlOf = new Map<number, string>();
  /** Every statement prepared on this connection, so close() can finalize them all. */
  private readonly prepared = new Set<Sqlite3Statement>();

  private constructor(private readonly db: Sqlite3Database) {}

  static open(file: string, options: { create: boolean }): Promise<JourneyappsConnection> {
    const mode = options.create
      ? sqlcipher.OPEN_READWRITE | sqlcipher.OPEN_CREATE
      : sqlcipher.OPEN_READWRITE;
    return new Promise((resolve, reject) => {
      const db: Sqlite3Database = new sqlcipher.Database(file, mode, (error) => {
        if (error) reject(error);
        else {
          db.serialize();
          resolve(new JourneyappsConnection(db));
        }
      });
    });
  }

  /** Raw 256-bit key (no KDF), SQLCipher 4 settings; reading the schema proves the key. */
  async unlock(key: Buffer): Promise<void> {
    await this.exec(`PRAGMA key = "x'${key.toString('hex')}'"`);
    await this.exec('PRAGMA cipher_compatibility = 4');
    await this.get('SELECT count(*) AS n FROM sqlite_master', []);
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.exec(sql, (error) => (error ? reject(error) : resolve()));
    });
  }

  run(sql: string, params: Binding): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  get(sql: string, params: Binding): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (error: Error | null, row: unknown) =>
        error ? reject(error) : resolve(row),
      );
    });
  }

  all(sql: string, params: Binding): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (error: Error | null, rows: unknown[]) =>
        error ? reject(error) : resolve(rows),
      );
    });
  }

  prepare(sql: string): Promise<Sqlite3Statement> {
    return new Promise((resolve, reject) => {
      const statement: Sqlite3Statement = this.db.prepare(sql, (error: Error | null) =>
        error ? reject(error) : resolve(statement),
      );
      this.prepared.add(statement);
    });
  }

  runStatement(statement: Sqlite3Statement, params: Binding): Promise<void> {
    return new Promise((resolve, reject) => {
      statement.run(params, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  getStatement(statement: Sqlite3Statement, params: Binding): Promise<unknown> {
    return new Promise((resolve, reject) => {
      statement.get(params, (error: Error | null, row: unknown) =>
        error ? reject(error) : resolve(row),
      );
    });
  }

  allStatement(statement: Sqlite3Statement, params: Binding): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      statement.all(params, (error: Error | null, rows: unknown[]) =>
        error ? reject(error) : resolve(rows),
      );
    });
  }

  resetStatement(statement: Sqlite3Statement): Promise<void> {
    return new Promise((resolve) => {
      statement.reset(() => resolve());
    });
  }

  /**
   * Replays recorded ops in order, each awaited. Statement numbers refer to the recording's
   * `prepare` ops; they stay valid across calls, so one recording may be replayed in chunks.
   * Returns how many rows the reads returned, so a caller can check the work was done.
   */
  async replay(ops: readonly TraceOp[]): Promise<number> {
    let rows = 0;
    for (const op of ops) {
      switch (op.kind) {
        case 'exec':
          await this.exec(op.sql);
          break;
        case 'prepare':
          // A statement already prepared on this connection is reused, as our repositories do.
          if (!this.statements.has(op.stmt)) {
            this.statements.set(op.stmt, await this.prepare(op.sql));
            this.sqlOf.set(op.stmt, op.sql);
          }
          break;
        case 'run':
          await this.runStatement(this.statement(op.stmt), this.binding(op.stmt, op.args));
          break;
        case 'get':
        // better-sqlite3's get() steps once and resets the statement; node-sqlite3's get()
        // leaves it open (holding a read transaction) until the next call. all() runs a
        // statement to its end in one call: for the single-row lookups our code makes with
        // get(), that is the same work and leaves no read transaction behind.
        // falls through
        case 'all':
          rows += (await this.allStatement(this.statement(op.stmt), this.binding(op.stmt, op.args)))
            .length;
          break;
      }
    }
    return rows;
  }

  /** Finalizes every statement prepared here (node-sqlite3 will not close over live ones). */
  async finalizeStatements(): Promise<void> {
    const pending = [...this.prepared].map(
      (statement) => new Promise<void>((resolve) => statement.finalize(() => resolve())),
    );
    this.prepared.clear();
    this.statements.clear();
    this.prefixes.clear();
    this.sqlOf.clear();
    await Promise.all(pending);
  }

  async close(): Promise<void> {
    await this.finalizeStatements();
    await new Promise<void>((resolve, reject) => {
      this.db.close((error) => (error ? reject(error) : resolve()));
    });
  }

  private statement(stmt: number): Sqlite3Statement {
    const statement = this.statements.get(stmt);
    if (statement === undefined) throw new Error(`replay: statement #${stmt} was never prepared`);
    return statement;
  }

  /** better-sqlite3 arguments → node-sqlite3 binding (named keys carry their SQL prefix). */
  private binding(stmt: number, args: readonly unknown[]): Binding {
    const first = args[0];
    if (args.length === 1 && isNamedParams(first)) {
      const named: Record<string, unknown> = {};
      const prefixes = this.prefixesOf(stmt);
      for (const [name, prefixed] of prefixes) {
        if (!(name in first)) throw new Error(`replay: parameter "${name}" missing`);
        named[prefixed] = first[name];
      }
      return named;
    }
    if (args.some(isNamedParams))
      throw new Error('replay: mixed named and positional parameters are not supported');
    return args.flatMap((arg): unknown[] => (Array.isArray(arg) ? (arg as unknown[]) : [arg]));
  }

  private prefixesOf(stmt: number): Map<string, string> {
    let prefixes = this.prefixes.get(stmt);
    if (prefixes === undefined) {
      prefixes = namedParameters(this.sqlOf.get(stmt) ?? '');
      this.prefixes.set(stmt, prefixes);
    }
    return prefixes;
  }
}

/** Named parameters of a statement: name → name with its prefix ("@id", ":id" or "$id"). */
export function namedParameters(sql: string): Map<string, string> {
  const found = new Map<string, string>();
  // Skip string literals so an '@' inside text is not taken for a parameter.
  const code = sql.replace(/'(?:[^']|'')*'/g, "''");
  for (const match of code.matchAll(/([@:$])([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = match[2] as string;
    if (!found.has(name)) found.set(name, `${match[1] as string}${name}`);
  }
  return found;
}

function isNamedParams(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Buffer.isBuffer(value) &&
    !ArrayBuffer.isView(value)
  );
}
