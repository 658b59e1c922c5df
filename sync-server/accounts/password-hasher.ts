import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

import argon2 from 'argon2';

import { DEFAULT_ARGON2_PARAMS } from './argon2-params.js';
import type { Argon2Params } from './argon2-params.js';
import { ConcurrencyLimit } from './concurrency-limit.js';

export { DEFAULT_ARGON2_PARAMS } from './argon2-params.js';
export type { Argon2Params } from './argon2-params.js';

interface ParsedPhc {
  algorithm: string;
  version: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

// argon2 writes the parameters as `m=…,p=…,t=…`; other encoders use `m,t,p`. Read them by name.
const PHC_PATTERN = /^\$(argon2(?:id|i|d))\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/;

export function parsePhc(hash: string): ParsedPhc | null {
  const match = PHC_PATTERN.exec(hash);
  if (match === null) return null;
  const params = new Map<string, number>();
  for (const pair of (match[3] as string).split(',')) {
    const [key, value] = pair.split('=');
    params.set(key as string, Number(value));
  }
  const memoryCost = params.get('m');
  const timeCost = params.get('t');
  const parallelism = params.get('p');
  if (memoryCost === undefined || timeCost === undefined || parallelism === undefined) return null;
  return {
    algorithm: match[1] as string,
    version: Number(match[2]),
    memoryCost,
    timeCost,
    parallelism,
  };
}

/**
 * One Argon2 run per core at most: libuv's pool has four threads by default, so the
 * others stay free for file writes even when logins arrive faster than they can be
 * verified (see concurrency-limit.ts).
 */
const ARGON2_SLOTS = Math.max(1, Math.min(availableParallelism(), 3));

/**
 * Argon2id hashing and verification (argon2-params.ts says what the PHC string carries).
 * argon2 hashes on libuv's thread pool, so a hash never blocks the event loop.
 */
export class PasswordHasher {
  private current: Argon2Params;
  private dummyHash: Promise<string> | undefined;
  private readonly slots = new ConcurrencyLimit(ARGON2_SLOTS);

  constructor(params: Argon2Params = DEFAULT_ARGON2_PARAMS) {
    this.current = { ...params };
  }

  get params(): Readonly<Argon2Params> {
    return this.current;
  }

  /**
   * Changes the parameters new hashes use (raising the cost on a running server; tests
   * use it to simulate an upgrade and to keep suites fast). Existing hashes keep theirs
   * until their owner logs in. The dummy hash is remade so unknown emails stay as slow.
   */
  setParams(params: Argon2Params): void {
    this.current = { ...params };
    this.dummyHash = undefined;
  }

  /** `password` must already be NFKC-normalised (password-policy.ts normalisePassword). */
  async hash(password: string): Promise<string> {
    const params = this.current;
    return this.slots.run(() =>
      argon2.hash(password, {
        type: argon2.argon2id,
        memoryCost: params.memoryCost,
        timeCost: params.timeCost,
        parallelism: params.parallelism,
      }),
    );
  }

  /** False (never a throw) for a malformed stored hash, so a bad row reads as a wrong password. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.slots.run(() => argon2.verify(hash, password));
    } catch (_error) {
      return false;
    }
  }

  /**
   * Verifies against a hash of a random password made with the current parameters.
   * Logins for unknown emails call this so they cost one Argon2 run like a real account
   * does, and the response time does not tell which emails are registered.
   */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummy(), password);
    return false;
  }

  /** Makes the dummy hash now, so the first unknown-email login is not the slow one. */
  async warmUp(): Promise<void> {
    await this.dummy();
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }

  /**
   * True when the stored hash is weaker than the current parameters: another algorithm,
   * an older version, or less memory or fewer iterations. A stronger stored hash (an
   * operator lowered the settings) is left alone rather than downgraded.
   */
  needsRehash(hash: string): boolean {
    const parsed = parsePhc(hash);
    if (parsed === null) return true;
    return (
      parsed.algorithm !== 'argon2id' ||
      parsed.version < 0x13 ||
      parsed.memoryCost < this.current.memoryCost ||
      parsed.timeCost < this.current.timeCost ||
      parsed.parallelism < this.current.parallelism
    );
  }
}
