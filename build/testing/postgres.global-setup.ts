// Vitest global setup: one throw-away PostgreSQL cluster per test run
// (sync-server/test/support/postgres-cluster.ts), shared by every test file through
// `inject('postgresAdminUrl')`; each file makes its own database in it. The cluster is
// stopped and its folder removed when the run ends, failed tests or not.
//
// COFFER_TEST_POSTGRES_URL (a superuser URL of a server of your own) skips starting one.
// When PostgreSQL is missing the run goes on: only the tests that need it fail, with the
// message saying what to install.
import type { TestProject } from 'vitest/node';

import { startPostgresCluster } from '../../sync-server/test/support/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster's maintenance database, or '' when none started. */
    postgresAdminUrl: string;
    /** Why no cluster started, or ''. */
    postgresUnavailable: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.COFFER_TEST_POSTGRES_URL;
  if (external !== undefined && external !== '') {
    project.provide('postgresAdminUrl', external);
    project.provide('postgresUnavailable', '');
    return async () => undefined;
  }
  try {
    const cluster = await startPostgresCluster();
    project.provide('postgresAdminUrl', cluster.adminUrl);
    project.provide('postgresUnavailable', '');
    return () => cluster.stop();
  } catch (error) {
    project.provide('postgresAdminUrl', '');
    project.provide('postgresUnavailable', error instanceof Error ? error.message : String(error));
    return async () => undefined;
  }
}
