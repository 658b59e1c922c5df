import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startAccountsServer } from '../accounts-support.js';
import type { AccountsTestServer } from '../accounts-support.js';
import type { TestServerOptions } from './start-test-server.js';
import { freshPostgresUrl } from './postgres-test-database.js';

export interface TwoInstances {
  databaseUrl: string;
  first: AccountsTestServer;
  second: AccountsTestServer;
  close(): Promise<void>;
}

/**
 * Two in-process server instances of one deployment on a fresh PostgreSQL database: they
 * share the database and the master key file, nothing else.
 */
export async function startTwoPostgresInstances(
  options: Omit<TestServerOptions, 'config'> = {},
): Promise<TwoInstances> {
  const databaseUrl = await freshPostgresUrl();
  const keyRoot = await mkdtemp(path.join(tmpdir(), 'coffer-pg-key-'));
  const config = {
    storage: 'postgres' as const,
    databaseUrl,
    keyFile: path.join(keyRoot, 'master-key'),
  };
  const first = await startAccountsServer({ ...options, config });
  const second = await startAccountsServer({ ...options, config });
  return {
    databaseUrl,
    first,
    second,
    close: async () => {
      await first.close();
      await second.close();
      await rm(keyRoot, { recursive: true, force: true });
    },
  };
}
