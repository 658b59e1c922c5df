import type Database from 'better-sqlite3-multiple-ciphers';

export type Db = Database.Database;

/**
 * Prepares each SQL text once per connection and reuses it: preparing is a large share
 * of a small query's cost, and bulk inserts reuse one statement for every row.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Db) {}

  get<Params extends unknown[] = unknown[], Row = unknown>(
    sql: string,
  ): Database.Statement<Params, Row> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<Params, Row>;
  }
}
