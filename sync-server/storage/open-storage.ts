import { redactDatabaseUrl } from '../config/server-config.js';
import type { ServerConfig } from '../config/server-config.js';
import { databasePath } from '../data-dir.js';
import type { Storage } from './storage.js';

/** The database could not be opened or migrated; the message names it without a password. */
export class StorageOpenError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'StorageOpenError';
  }
}

/**
 * Opens the storage the configuration names, migrated to this server's schema: the SQLite
 * file in the data dir, or the PostgreSQL database at `databaseUrl`. Each module loads only
 * when chosen. On PostgreSQL a server claims the database shared and a maintenance command
 * exclusively (postgres-storage.ts `claim`), as the data dir's lock does for SQLite.
 */
export async function openConfiguredStorage(
  config: Pick<ServerConfig, 'storage' | 'databaseUrl' | 'dataDir'>,
  use: 'serve' | 'maintenance',
): Promise<Storage> {
  if (config.storage === 'sqlite') {
    const { openSqliteStorage } = await import('./sqlite/sqlite-storage.js');
    return openSqliteStorage(databasePath(config.dataDir));
  }
  const url = config.databaseUrl;
  if (url === undefined) throw new StorageOpenError('PostgreSQL storage needs a database URL');
  const { DatabaseInUseError, openPostgresStorage } =
    await import('./postgres/postgres-storage.js');
  let storage;
  try {
    storage = await openPostgresStorage(url);
  } catch (error) {
    // pg's own messages name the host or the user, never the password; the URL is redacted.
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageOpenError(
      `could not open the PostgreSQL database ${redactDatabaseUrl(url)}: ${reason}`,
      { cause: error },
    );
  }
  try {
    await storage.claim(use === 'serve' ? 'shared' : 'exclusive');
  } catch (error) {
    await storage.close();
    if (error instanceof DatabaseInUseError) throw new StorageOpenError(error.message);
    throw error;
  }
  return storage;
}
