import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,electron,renderer,sync-server,build,bench}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'renderer/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
