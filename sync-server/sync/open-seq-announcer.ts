import type { ServerConfig } from '../config/server-config.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';
import { InProcessSeqAnnouncer } from './seq-announcer.js';
import type { SeqAnnouncer } from './seq-announcer.js';

/**
 * The announcer the storage calls for: in memory for SQLite (one process owns the file);
 * LISTEN/NOTIFY for PostgreSQL, where any number of instances share the database and a
 * device on one must hear of a push taken by another. The PostgreSQL module loads only then.
 */
export async function openSeqAnnouncer(
  config: Pick<ServerConfig, 'storage' | 'databaseUrl'>,
  storage: Storage,
  logger: Logger,
): Promise<SeqAnnouncer> {
  if (config.storage === 'sqlite') return new InProcessSeqAnnouncer();
  const [{ PgSeqAnnouncer }, { PostgresStorage }] = await Promise.all([
    import('../storage/postgres/pg-seq-announcer.js'),
    import('../storage/postgres/postgres-storage.js'),
  ]);
  if (!(storage instanceof PostgresStorage) || config.databaseUrl === undefined) {
    throw new Error('PostgreSQL seq announcements need the PostgreSQL storage and its URL');
  }
  return PgSeqAnnouncer.start({
    url: config.databaseUrl,
    db: storage.db,
    changeLog: storage.changeLog,
    logger,
  });
}
