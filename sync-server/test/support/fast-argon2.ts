import type { Argon2Params } from '../../accounts/argon2-params.js';

/**
 * The cheap Argon2id cost the in-process test servers hash with (1 MiB, one pass). The
 * default (64 MiB, three passes) costs a third of a second of CPU per sign-up, sign-in
 * and password step-up, and suites make hundreds; none of them tests the cost. The
 * default is proven where it is the subject: password-hasher.test.ts (a new hasher's
 * cost), accounts-password-hashing.test.ts and security-constants.test.ts. The test
 * bundle of the server swaps in the same cost (build/testing/test-argon2-params.ts).
 */
export const FAST_ARGON2: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
