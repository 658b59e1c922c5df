// In the test runs' bundle of the server only, in place of sync-server/accounts/argon2-params.ts
// (build/testing/test-bundles.ts says why): the cheap cost the in-process test servers hash with.
import { FAST_ARGON2 } from '../../sync-server/test/support/fast-argon2.js';

export type { Argon2Params } from '../../sync-server/accounts/argon2-params.js';

export const DEFAULT_ARGON2_PARAMS = FAST_ARGON2;
