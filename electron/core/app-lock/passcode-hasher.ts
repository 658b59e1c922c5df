import argon2 from 'argon2';

/** Argon2id cost parameters; memoryCost in KiB. */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The sync server's account passwords use the same: m=64 MiB, t=3, p=1 (OWASP). */
export const DEFAULT_PASSCODE_PARAMS: Argon2Params = {
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 1,
};

const PHC_PATTERN = /^\$(argon2(?:id|i|d))\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/;

/**
 * Argon2id hashing of the app passcode, as the sync server hashes account passwords: the
 * PHC string carries algorithm, version and parameters, so an older hash still verifies
 * and `needsRehash` says when to upgrade it while the passcode is at hand. Hashing runs on
 * libuv's thread pool, never on the event loop.
 */
export class PasscodeHasher {
  constructor(private readonly params: Argon2Params = DEFAULT_PASSCODE_PARAMS) {}

  /** `passcode` must already be NFKC-normalised (app-lock.service.ts). */
  hash(passcode: string): Promise<string> {
    return argon2.hash(passcode, {
      type: argon2.argon2id,
      memoryCost: this.params.memoryCost,
      timeCost: this.params.timeCost,
      parallelism: this.params.parallelism,
    });
  }

  /** False, never a throw, for a malformed stored hash: it reads as a wrong passcode. */
  async verify(hash: string, passcode: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, passcode);
    } catch {
      return false;
    }
  }

  /** True when the stored hash is weaker than the current parameters or not Argon2id. */
  needsRehash(hash: string): boolean {
    const match = PHC_PATTERN.exec(hash);
    if (match === null) return true;
    const params = new Map(
      (match[3] ?? '').split(',').map((pair) => {
        const [key, value] = pair.split('=');
        return [key ?? '', Number(value)] as const;
      }),
    );
    return (
      match[1] !== 'argon2id' ||
      Number(match[2]) < 0x13 ||
      (params.get('m') ?? 0) < this.params.memoryCost ||
      (params.get('t') ?? 0) < this.params.timeCost ||
      (params.get('p') ?? 0) < this.params.parallelism
    );
  }
}
