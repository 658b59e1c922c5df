import type { Statement } from 'better-sqlite3';

/**
 * `sql(text)` returns the statement for `text`, prepared the first time it is asked for:
 * a repository is built before the migrations have created its tables, so it cannot
 * prepare its statements up front.
 */
export function lazyStatements(db: {
  prepare(text: string): Statement;
}): (text: string) => Statement {
  const prepared = new Map<string, Statement>();
  return (text) => {
    let statement = prepared.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      prepared.set(text, statement);
    }
    return statement;
  };
}
