import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { expect } from 'vitest';

import type { AccountsTestServer } from './accounts-support.js';
import { push, randomEnvelope } from './sync-support.js';

/** `--storage ... --database-url ...` for a server's configuration (nothing for SQLite). */
export function storageFlags(config: {
  storage: string;
  databaseUrl: string | undefined;
}): string[] {
  return config.storage === 'postgres' && config.databaseUrl !== undefined
    ? ['--storage', 'postgres', '--database-url', config.databaseUrl]
    : [];
}

/**
 * Pushes two random changes at a time to the workspace until stopped, and notes each
 * acknowledged change id with the number of pushes the server had answered before it.
 */
export function startPushing(
  server: AccountsTestServer,
  token: string,
  workspaceId: string,
): {
  acknowledged: string[];
  answered(): number;
  /** Resolves once at least `count` pushes were answered. */
  waitFor(count: number): Promise<void>;
  stop(): Promise<void>;
} {
  const acknowledged: string[] = [];
  let answered = 0;
  let stopped = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  const loop = (async () => {
    while (!stopped) {
      const changes = [randomEnvelope(), randomEnvelope('clients')];
      const response = await push(server, token, workspaceId, changes);
      expect(response.status, response.text).toBe(200);
      for (const result of response.json.results) {
        expect(result.status).toBe('accepted');
        acknowledged.push(result.id);
      }
      answered += 1;
      // The per-account and per-IP request limits count per minute of the server's clock.
      if (answered % 200 === 0) server.clock.advance(61_000);
      for (const waiter of waiters.splice(0)) {
        if (answered >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
    }
  })();
  return {
    acknowledged,
    answered: () => answered,
    waitFor: (count) =>
      answered >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * The master key file's key in every encoding a careless writer could have put it in: the
 * file's text, the raw 32 bytes, hex (both cases), base64 and base64url.
 */
export async function keyEncodings(keyFile: string): Promise<Buffer[]> {
  const text = (await readFile(keyFile, 'utf8')).trim();
  const raw = Buffer.from(text, 'base64');
  expect(raw).toHaveLength(32);
  return [
    Buffer.from(text),
    raw,
    Buffer.from(raw.toString('hex')),
    Buffer.from(raw.toString('hex').toUpperCase()),
    Buffer.from(raw.toString('base64')),
    Buffer.from(raw.toString('base64url')),
  ];
}

/** A name no test has used: random, so it cannot be what it stands against. */
export const randomLabel = (prefix: string): string =>
  `${prefix}-${randomBytes(6).toString('hex')}`;
