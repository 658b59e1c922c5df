import pg from 'pg';

import { redactDatabaseUrl } from '../config/server-config.js';
import { BackupError, errorCode, errorText } from './backup-error.js';

/**
 * How pg_dump and psql are given the database: the URL without its password (a command
 * line is visible to every user of the machine) and the password in PGPASSWORD.
 */
export function clientConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password) || parsed.searchParams.get('password');
  parsed.password = '';
  // Rebuilt with %20 for spaces: the server's driver reads `+` in the query as a space
  // (`?options=-c+search_path=...`), libpq as a plus; both read %20 as a space.
  parsed.search = [...parsed.searchParams]
    .filter(([name]) => name !== 'password')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password !== null && password !== '') env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

/** A connected client, or a BackupError naming the database without its password. */
export async function connectOrExplain(url: string, doing: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  client.on('error', () => {
    // A dropped connection fails the query in progress, which reports it.
  });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new BackupError(
      `could not reach the PostgreSQL database ${redactDatabaseUrl(url)} ` +
        `(${errorText(error) || errorCode(error)}); ${doing}.`,
    );
  }
}

/** `"name"`, quotes doubled: a schema name as SQL and pg_dump's --schema pattern read it. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
