/**
 * The @journeyapps/sqlcipher baseline: SQLCipher 4 (`cipher_compatibility = 4`) with a
 * raw 256-bit key, our schema (the `sql` of every object a migrated database holds), and
 * the connection pragmas our vault sets, recorded from our own open code. Our services
 * are synchronous and cannot drive this callback API, so each measurement replays the
 * exact statements our services issued for the same work (recorded on the plain baseline
 * over identical data; see sql-trace.ts), every call awaited.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { uuidv7 } from '../../shared/ids/uuidv7.js';
import type { SqliteDatabase } from '../../electron/core/vault/sqlcipher.js';
import { loadDataset, type BulkSink } from '../bulk-load.js';
import { JourneyappsConnection } from './journeyapps-connection.js';
import type { TraceOp } from './sql-trace.js';
import { LOAD_PRAGMAS } from './sync-sink.js';

export const JOURNEYAPPS_DB_FILE = 'journeyapps.db';

export interface JourneyappsSetup {
  /** CREATE statements of every table and index, in creation order. */
  schema: string[];
  userVersion: number;
  /** What our open code does to a fresh connection after the key: schema read and pragmas. */
  connectionOps: TraceOp[];
  /**
   * `PRAGMA cache_size` our connections end up with. Our builds of SQLite default to a
   * 16 MB page cache, node-sqlite3's to 2 MB; every journeyapps connection gets ours, so
   * the engines are compared with the same cache.
   */
  cacheSize: number;
}

/** Reads the schema of a database our migrations made. */
export function schemaOf(db: SqliteDatabase): { schema: string[]; userVersion: number } {
  const schema = db
    .prepare<[], string>(
      `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid`,
    )
    .pluck()
    .all();
  return { schema, userVersion: Number(db.pragma('user_version', { simple: true })) };
}

export class JourneyappsEngine {
  readonly key = 'journeyapps' as const;
  private readonly dbKey = randomBytes(32);

  constructor(private readonly setup: JourneyappsSetup) {}

  static file(dir: string): string {
    return path.join(dir, JOURNEYAPPS_DB_FILE);
  }

  /** A new database with the schema, meta rows and the dataset's reference data. */
  async createEmpty(dir: string): Promise<JourneyappsConnection> {
    const connection = await this.create(dir);
    try {
      await loadDataset(bulkSink(connection), { count: 0 });
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  async createLoaded(
    dir: string,
    count: number,
    onProgress?: (loaded: number) => void,
  ): Promise<void> {
    const connection = await this.create(dir);
    try {
      for (const pragma of LOAD_PRAGMAS) await connection.exec(`PRAGMA ${pragma}`);
      await loadDataset(bulkSink(connection), onProgress ? { count, onProgress } : { count });
    } finally {
      await connection.close();
    }
  }

  /** Opens and keys the file, then replays `afterKey` (what our open code does next). */
  async open(dir: string, afterKey: readonly TraceOp[]): Promise<JourneyappsConnection> {
    const connection = await JourneyappsConnection.open(JourneyappsEngine.file(dir), {
      create: false,
    });
    try {
      await connection.unlock(this.dbKey);
      await connection.exec(`PRAGMA cache_size = ${this.setup.cacheSize}`);
      await connection.replay(afterKey);
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  remove(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  private async create(dir: string): Promise<JourneyappsConnection> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const connection = await JourneyappsConnection.open(JourneyappsEngine.file(dir), {
      create: true,
    });
    try {
      await connection.unlock(this.dbKey);
      await connection.exec(`PRAGMA cache_size = ${this.setup.cacheSize}`);
      await connection.replay(this.setup.connectionOps);
      await connection.finalizeStatements();
      const now = Date.now();
      await connection.exec('BEGIN IMMEDIATE');
      for (const sql of this.setup.schema) await connection.exec(sql);
      await connection.exec(`PRAGMA user_version = ${this.setup.userVersion}`);
      const meta: [string, string][] = [
        ['vault_id', uuidv7(now)],
        ['device_id', uuidv7(now)],
        ['created_at', String(now)],
        ['key_created_at', String(now)],
      ];
      for (const [key, value] of meta) {
        await connection.run('INSERT INTO meta (key, value) VALUES (?, ?)', [key, value]);
      }
      await connection.exec('COMMIT');
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
}

/** BulkSink over the async connection: one prepared statement per SQL text. */
function bulkSink(connection: JourneyappsConnection): BulkSink {
  const statements = new Map<string, Awaited<ReturnType<JourneyappsConnection['prepare']>>>();
  return {
    exec: (sql) => connection.exec(sql),
    async run(sql, params) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = await connection.prepare(sql);
        statements.set(sql, statement);
      }
      await connection.runStatement(statement, [...params]);
    },
  };
}
