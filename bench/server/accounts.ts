/**
 * Bench accounts, made through the real API (`POST /v1/auth/register`): each costs one
 * Argon2id hash on the server, so they are registered a few at a time (as many as the
 * machine has cores) before anything is timed.
 */
import { randomBytes } from 'node:crypto';
import { errorCodeOf, type ApiClient } from './api-client.js';
import { clientAddress } from './client-addresses.js';

export interface BenchAccount {
  email: string;
  password: string;
  userId: string;
  /** The session token register issued. */
  token: string;
}

interface SessionGrant {
  token: string;
  sessionId: string;
  user: { id: string; email: string };
}

/** A password the policy accepts: long, random, nothing from the email. */
export function benchPassword(): string {
  return `Qx-${randomBytes(18).toString('base64url')}`;
}

export function benchEmail(runId: string, index: number): string {
  return `load-${runId}-${index}@example.com`;
}

export async function registerAccounts(options: {
  api: ApiClient;
  count: number;
  concurrency: number;
  addressPool: number;
  runId: string;
}): Promise<BenchAccount[]> {
  const { api, count, addressPool, runId } = options;
  const accounts: BenchAccount[] = new Array<BenchAccount>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const email = benchEmail(runId, index);
      const password = benchPassword();
      const res = await api.request<SessionGrant>('POST', '/v1/auth/register', {
        body: { email, password, deviceName: 'coffer bench' },
        forwardedFor: clientAddress(addressPool, index),
      });
      if (res.status !== 201 || res.json === undefined) {
        throw new Error(`register answered ${res.status} (${errorCodeOf(res.json)})`);
      }
      accounts[index] = { email, password, userId: res.json.user.id, token: res.json.token };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return accounts;
}

/** One real password login; throws unless it issued a session. */
export async function login(
  api: ApiClient,
  account: BenchAccount,
  forwardedFor: string,
): Promise<{ ms: number; endedAt: number; status: number; token?: string }> {
  const res = await api.request<Partial<SessionGrant> & { mfaRequired?: boolean }>(
    'POST',
    '/v1/auth/login',
    {
      body: { email: account.email, password: account.password, deviceName: 'coffer bench' },
      forwardedFor,
    },
  );
  const result: { ms: number; endedAt: number; status: number; token?: string } = {
    ms: res.ms,
    endedAt: res.endedAt,
    status: res.status,
  };
  if (res.status === 200 && typeof res.json?.token === 'string') result.token = res.json.token;
  return result;
}
