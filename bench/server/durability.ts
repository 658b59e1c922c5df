/**
 * What `synchronous=FULL` costs the sync server (README "server", durability row): the same
 * writes through the server's own SQLite storage and repositories, once on a connection as
 * the server opens it (FULL: the WAL is synced at every commit) and once on one switched to
 * NORMAL (synced only at checkpoints), in this process, turn about.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { SqliteStorage } from '../../sync-server/storage/sqlite/sqlite-storage.js';
import { openSqliteStorage } from '../../sync-server/storage/sqlite/sqlite-storage.js';
import type { RowInput } from '../report.js';
import { measureInterleaved } from '../timing.js';
import { formatNoteMs } from './stats.js';

/** PRAGMA synchronous as SQLite reports it. */
const SYNCHRONOUS = { NORMAL: 1, FULL: 2 } as const;
/** Commits one operation makes (see `signInAndOut`). */
export const COMMITS_PER_OPERATION = 4;
export const NORMAL_BASELINE = 'the same writes with synchronous=NORMAL';

export interface DurabilityConfig {
  /** Operations per timed round, rounds, untimed warm-up rounds. */
  operations: number;
  runs: number;
  warmup: number;
}

export interface DurabilityResult {
  fullMsPerOperation: number;
  normalMsPerOperation: number;
  operations: number;
  runs: number;
}

interface Contender {
  storage: SqliteStorage;
  userId: string;
  step: number;
}

/**
 * One sign-in with a TOTP code and its sign-out, as the server stores them, each write its
 * own commit like the requests that make them: the TOTP step spent (a replay must stay
 * refused after a power cut), the session issued, the audit row, the session revoked (a
 * revocation must stay revoked). On the FULL connection the audit row's commit is not synced
 * (per-request bookkeeping, sync-server/storage/sqlite/commit-sync.ts), as in the server.
 */
async function signInAndOut(contender: Contender, at: number): Promise<void> {
  const { storage, userId } = contender;
  contender.step += 1;
  if (!(await storage.mfa.advanceTotpStep(userId, contender.step))) {
    throw new Error('the TOTP step did not advance');
  }
  const sessionId = randomUUID();
  await storage.sessions.create({
    id: sessionId,
    userId,
    tokenHash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
    deviceName: 'Bench laptop',
    platform: 'linux',
    ip: '10.77.0.1',
    userAgent: 'coffer-bench',
    createdAt: at,
    lastSeenAt: at,
    elevatedUntil: null,
    revokedAt: null,
    revokedReason: null,
  });
  await storage.audit.append({
    id: randomUUID(),
    at,
    requestId: randomUUID(),
    action: 'POST /v1/auth/login/mfa',
    statusCode: 200,
    errorCode: null,
    outcome: 'success',
    ip: '10.77.0.1',
    userId,
    sessionId,
    workspaceId: null,
    subjectUserId: userId,
    factor: 'totp',
    deviceName: 'Bench laptop',
    userAgent: 'coffer-bench',
  });
  if (!(await storage.sessions.revoke(sessionId, at + 1, 'logout'))) {
    throw new Error('the session was not revoked');
  }
}

async function openContender(file: string, synchronous: 'FULL' | 'NORMAL'): Promise<Contender> {
  const storage = openSqliteStorage(file);
  // The server's own open sets FULL; the baseline only turns it down afterwards.
  if (synchronous === 'NORMAL') storage.db.pragma('synchronous = NORMAL');
  const actual = storage.db.pragma('synchronous', { simple: true });
  if (actual !== SYNCHRONOUS[synchronous]) {
    throw new Error(`${file}: synchronous is ${String(actual)}, not ${synchronous}`);
  }
  const userId = randomUUID();
  const now = Date.now();
  await storage.users.create({
    id: userId,
    emailLookup: randomUUID(),
    emailSealed: 'sealed',
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA',
    createdAt: now,
    updatedAt: now,
    passwordChangedAt: now,
  });
  await storage.mfa.putPendingTotp(userId, 'sealed-secret', now);
  if (!(await storage.mfa.confirmTotp(userId, 0, now))) throw new Error('TOTP not confirmed');
  return { storage, userId, step: 0 };
}

export async function runDurabilityBench(
  dir: string,
  config: DurabilityConfig,
): Promise<DurabilityResult> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const full = await openContender(path.join(dir, 'durability-full.db'), 'FULL');
  const normal = await openContender(path.join(dir, 'durability-normal.db'), 'NORMAL');
  try {
    const round = (contender: Contender) => async (): Promise<void> => {
      const at = Date.now();
      for (let index = 0; index < config.operations; index++) {
        await signInAndOut(contender, at + index * 10);
      }
    };
    const measured = await measureInterleaved(
      [
        { key: 'full', run: round(full) },
        { key: 'normal', run: round(normal) },
      ],
      { warmup: config.warmup, runs: config.runs },
    );
    const perOperation = (key: string): number =>
      (measured.get(key)?.medianMs ?? Number.NaN) / config.operations;
    return {
      fullMsPerOperation: perOperation('full'),
      normalMsPerOperation: perOperation('normal'),
      operations: config.operations,
      runs: config.runs,
    };
  } finally {
    await full.storage.close();
    await normal.storage.close();
  }
}

export function durabilityRow(result: DurabilityResult): RowInput {
  const perCommit = (ms: number): string => formatNoteMs(ms / COMMITS_PER_OPERATION);
  return {
    name: `server storage: TOTP sign-in + sign-out (${COMMITS_PER_OPERATION} commits) with synchronous=FULL`,
    ours_ms: result.fullMsPerOperation,
    baseline: NORMAL_BASELINE,
    baseline_ms: result.normalMsPerOperation,
    target: 'informational',
    notes:
      `The server's SqliteStorage and repositories on a WAL file in the scratch directory, ` +
      `in the bench process: per operation a TOTP step spent, a session issued, an audit row, ` +
      `the session revoked, each its own commit. ${result.operations} operations per round, ` +
      `median of ${result.runs} rounds per setting, settings taking turns. FULL (as the ` +
      `server opens it) syncs the WAL at every commit: ${perCommit(result.fullMsPerOperation)} ` +
      `ms per commit; NORMAL ${perCommit(result.normalMsPerOperation)} ms, but a power cut ` +
      `could undo its last commits (a revoked session live again, a TOTP code usable twice).`,
  };
}
