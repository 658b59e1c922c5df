import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,electron,renderer,sync-server,build,bench}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'renderer/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Bundles the CLI once, for the tests that run it as a child process.
    // Starts one throw-away PostgreSQL cluster for the server's PostgreSQL storage tests.
    globalSetup: [
      'build/testing/cli-bundle.global-setup.ts',
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
