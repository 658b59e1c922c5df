// In the test runs' bundle of the server only, in place of sync-server/accounts/argon2-params.ts
// (build/testing/test-bundles.ts says why). The same cheap cost the in-process suites set.
import type { Argon2Params } from '../../sync-server/accounts/argon2-params.js';

export type { Argon2Params } from '../../sync-server/accounts/argon2-params.js';

export const DEFAULT_ARGON2_PARAMS: Argon2Params = {
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
};
