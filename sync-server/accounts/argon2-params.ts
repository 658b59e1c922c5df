/**
 * Argon2id password hashing (password-hasher.ts). The PHC string argon2 returns carries the
 * algorithm, version and cost parameters (`$argon2id$v=19$m=65536,t=3,p=1$salt$hash`), so a
 * hash made under older parameters still verifies, and `needsRehash` tells the login flow to
 * upgrade it while the plaintext is at hand. The defaults live in this file of their own so
 * that the test runs' bundle of the server can put cheaper ones in its place
 * (build/testing/test-bundles.ts), as the in-process suites do with startServer's `argon2` option.
 */
export interface Argon2Params {
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** m=64 MiB, t=3, p=1 (OWASP's first Argon2id recommendation). */
export const DEFAULT_ARGON2_PARAMS: Argon2Params = {
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 1,
};
