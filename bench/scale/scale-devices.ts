/**
 * The scale section's devices: workspaces of one account each, every device a session of
 * its own (one sign-up, then a password sign-in per further device), signed in through the
 * server's real API.
 */
import { randomBytes } from 'node:crypto';
import type { ApiClient } from '../server/api-client.js';
import { errorCodeOf } from '../server/api-client.js';
import { registerAccounts } from '../server/accounts.js';
import { ADDRESS_POOLS, clientAddress } from '../server/client-addresses.js';

export interface ScaleWorkspace {
  id: string;
  /** One session token per device; the first device is the one that writes. */
  tokens: string[];
}

export async function setUpWorkspaces(
  api: ApiClient,
  options: { workspaces: number; devicesPerWorkspace: number; runId: string; concurrency: number },
): Promise<ScaleWorkspace[]> {
  const accounts = await registerAccounts({
    api,
    count: options.workspaces,
    concurrency: options.concurrency,
    addressPool: ADDRESS_POOLS.scale,
    runId: `scale-${options.runId}`,
  });
  const workspaces: ScaleWorkspace[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++;
      const account = accounts[index]!;
      const created = await api.request<{ id: string }>('POST', '/v1/workspaces', {
        token: account.token,
        body: { nameBlob: randomBytes(48).toString('base64') },
        forwardedFor: clientAddress(ADDRESS_POOLS.scale, index),
      });
      if (created.status !== 201 || created.json === undefined) {
        throw new Error(
          `creating a workspace answered ${created.status} (${errorCodeOf(created.json)})`,
        );
      }
      const tokens = [account.token];
      for (let device = 1; device < options.devicesPerWorkspace; device++) {
        const res = await api.request<{ token?: string }>('POST', '/v1/auth/login', {
          body: {
            email: account.email,
            password: account.password,
            deviceName: `device ${device}`,
          },
          forwardedFor: clientAddress(
            ADDRESS_POOLS.scale,
            index * options.devicesPerWorkspace + device,
          ),
        });
        if (res.status !== 200 || typeof res.json?.token !== 'string') {
          throw new Error(`a device sign-in answered ${res.status} (${errorCodeOf(res.json)})`);
        }
        tokens.push(res.json.token);
      }
      workspaces[index] = { id: created.json.id, tokens };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return workspaces;
}
