import type pg from 'pg';

import { BackupError, errorText } from './backup-error.js';
import { DATABASE_ENTRY } from './backup-header.js';
import { entryStream } from './read-backup-file.js';
import type { VerifiedBackup } from './read-backup-file.js';
import { clientConnection, connectOrExplain, quoteIdentifier } from './postgres-connection.js';
import { runClientTool } from './run-client-tool.js';

const NOTHING = 'nothing was restored';

/**
 * Checks the target is an existing, empty schema (the one the URL's search_path names, or
 * public) and that the dump's own schema name is free there. Returns the target schema.
 * Changes nothing.
 */
export async function assertEmptyPostgresTarget(
  url: string,
  backup: VerifiedBackup,
): Promise<string> {
  const client = await connectOrExplain(url, NOTHING);
  try {
    const target = await currentSchema(client);
    const { rows } = await client.query<{ objects: string }>(
      `SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = n.oid)
            + (SELECT count(*) FROM pg_proc WHERE pronamespace = n.oid)
            + (SELECT count(*) FROM pg_type WHERE typnamespace = n.oid AND typtype <> 'b') AS objects
         FROM pg_namespace n WHERE n.nspname = $1`,
      [target],
    );
    if (Number(rows[0]?.objects ?? 0) > 0) {
      throw new BackupError(
        `schema ${target} of the target database is not empty; restore into an empty database ` +
          `(or schema); ${NOTHING}.`,
        2,
      );
    }
    const source = backup.header.schema ?? 'public';
    if (source !== target) {
      const taken = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [source]);
      if (taken.rowCount !== 0) {
        throw new BackupError(
          `the backup's schema ${source} already exists in the target database, beside the ` +
            `target schema ${target}; restore into another database; ${NOTHING}.`,
          2,
        );
      }
    }
    return target;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function currentSchema(client: pg.Client): Promise<string> {
  try {
    const { rows } = await client.query<{ schema: string | null }>(
      'SELECT current_schema() AS schema',
    );
    const schema = rows[0]?.schema;
    if (typeof schema === 'string') return schema;
  } catch (error) {
    throw new BackupError(`reading the target database failed (${errorText(error)}); ${NOTHING}.`);
  }
  throw new BackupError(
    `the schema the database URL's search_path names does not exist; create it first; ${NOTHING}.`,
    2,
  );
}

/**
 * Loads the dump into the empty target schema in ONE transaction (psql --single-transaction,
 * stop at the first error): all of it or none of it. The empty target schema is dropped and
 * the dump's own made in its place, renamed to the target's name when the two differ.
 */
export async function loadPostgresDump(
  url: string,
  backup: VerifiedBackup,
  target: string,
): Promise<void> {
  const dump = entryStream(backup, DATABASE_ENTRY);
  if (dump === null) throw new BackupError(`the backup holds no database; ${NOTHING}.`);
  const source = backup.header.schema ?? 'public';
  const { dbname, env } = clientConnection(url);
  // pg_dump --schema writes CREATE SCHEMA for the schema it dumps, public included.
  const before = `DROP SCHEMA ${quoteIdentifier(target)};\n`;
  const after =
    source === target
      ? ''
      : `\nALTER SCHEMA ${quoteIdentifier(source)} RENAME TO ${quoteIdentifier(target)};\n`;
  await runClientTool(
    'psql',
    [
      '--no-psqlrc',
      '--quiet',
      '--single-transaction',
      '--set=ON_ERROR_STOP=1',
      `--dbname=${dbname}`,
    ],
    env,
    NOTHING,
    [before, dump, after],
  );
}
