/**
 * Login latency's reference point: the Argon2id verification alone, in this process, with
 * the parameters the server really stored for the bench account (read from its database
 * file, which also proves the logins ran at production cost).
 */
import argon2 from 'argon2';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Argon2Params {
  algorithm: string;
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The production parameters (sync-server/accounts/password-hasher.ts): Argon2id, m = 64 MiB, t = 3, p = 1. */
export const PRODUCTION_ARGON2: Argon2Params = {
  algorithm: 'argon2id',
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 1,
};

/** The parameters in a PHC string (`$argon2id$v=19$m=65536,t=3,p=1$salt$hash`). */
export function parsePhcParams(hash: string): Argon2Params {
  const match = /^\$(argon2(?:id|i|d))\$v=\d+\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/.exec(hash);
  if (match?.[1] === undefined || match[2] === undefined)
    throw new Error('not an Argon2 PHC string');
  const values = new Map(
    match[2].split(',').map((pair) => {
      const [key = '', value = ''] = pair.split('=');
      return [key, Number(value)] as const;
    }),
  );
  const memoryCost = values.get('m');
  const timeCost = values.get('t');
  const parallelism = values.get('p');
  if (memoryCost === undefined || timeCost === undefined || parallelism === undefined) {
    throw new Error('the PHC string lacks m, t or p');
  }
  return { algorithm: match[1], memoryCost, timeCost, parallelism };
}

export function sameParams(a: Argon2Params, b: Argon2Params): boolean {
  return (
    a.algorithm === b.algorithm &&
    a.memoryCost === b.memoryCost &&
    a.timeCost === b.timeCost &&
    a.parallelism === b.parallelism
  );
}

export function describeParams(p: Argon2Params): string {
  return `${p.algorithm} m=${p.memoryCost / 1024} MiB t=${p.timeCost} p=${p.parallelism}`;
}

/** The hash parameters the server stored for `userId` (read-only look at its database). */
export function storedHashParams(dataDir: string, userId: string): Argon2Params {
  const db = new Database(path.join(dataDir, 'coffer-server.db'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const row = db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as
      { password_hash: string } | undefined;
    if (row === undefined) throw new Error('the bench account is not in the server database');
    return parsePhcParams(row.password_hash);
  } finally {
    db.close();
  }
}

/** `runs` sequential argon2.verify calls (correct password) with `params`; milliseconds each. */
export async function timeArgon2Verify(params: Argon2Params, runs: number): Promise<number[]> {
  if (params.algorithm !== 'argon2id') throw new Error(`unexpected algorithm ${params.algorithm}`);
  const password = randomBytes(24).toString('base64url');
  const hash = await argon2.hash(password, {
    type: argon2.argon2id,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  });
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const ok = await argon2.verify(hash, password);
    samples.push(performance.now() - started);
    if (!ok) throw new Error('argon2 verify rejected the right password');
  }
  return samples;
}
