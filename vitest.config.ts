import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,electron,renderer,sync-server,build,bench}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'renderer/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files share a worker's module cache instead of each importing zod, the vault and
    // the server afresh: that import was a quarter of the run's CPU. Files leave nothing
    // behind that another reads (no module mocks; servers, vaults and env changes are
    // undone in their own afterAll).
    isolate: false,
    // One more test file than cores: many files spend much of their time waiting on child
    // processes (the CLI, the server, PostgreSQL, Chromium) and TLS round trips, and
    // Vitest's default (cores - 1) left one of two cores idle for most of the run.
    maxWorkers: availableParallelism() + 1,
    // Bundles the CLI and the server once, for the tests that run them as child processes.
    // Starts one throw-away PostgreSQL cluster for the server's PostgreSQL storage tests.
    globalSetup: [
      'build/testing/bundles.global-setup.ts',
      'build/testing/postgres.global-setup.ts',
    ],
    // A whole file takes a tag with a `// @module-tag NAME` line; one test with `{ tags: [...] }`.
    tags: [
      {
        name: 'secret-service',
        description:
          'Needs the OS keychain (on Linux a Secret Service such as gnome-keyring). ' +
          'npm test skips these, and says so, only where none can be had and CI is not set.',
      },
    ],
  },
});
