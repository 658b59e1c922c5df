/**
 * The scale section's WebSockets: one per device, on the server's real sync socket route
 * over TLS 1.3 with the pinned certificate, each recording when it heard of which seq.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { PinnedCertificate } from '../server/pinning.js';
import { pinnedTlsOptions } from '../server/pinning.js';
import { ADDRESS_POOLS, clientAddress } from '../server/client-addresses.js';
import { socketInstance } from './instance-split.js';
import type { ScaleWorkspace } from './scale-devices.js';
import type { Receipt } from './write-to-seen.js';

/** The parts of the `ws` client used here (the package ships no types). */
interface WsClient {
  close(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
type WsClientClass = new (url: string, options: Record<string, unknown>) => WsClient;
const WebSocket = createRequire(import.meta.url)('ws') as WsClientClass;

export interface SeqListeners {
  receipts: Receipt[];
  /** Sockets the server closed during the run (there should be none). */
  closedEarly: number;
  close(): void;
}

/**
 * Opens every device's socket, `concurrency` handshakes at a time, on the instance
 * `socketInstance` gives it (index into `baseUrls`); resolves once all are open.
 */
export async function openSeqListeners(
  baseUrls: readonly string[],
  workspaces: readonly ScaleWorkspace[],
  pin: PinnedCertificate,
  concurrency: number,
): Promise<SeqListeners> {
  const receipts: Receipt[] = [];
  const clients: WsClient[] = [];
  let closing = false;
  const listeners: SeqListeners = { receipts, closedEarly: 0, close: () => undefined };
  const jobs = workspaces.flatMap((workspace, w) =>
    workspace.tokens.map((token, device) => ({ w, device, token, id: workspace.id })),
  );
  let next = 0;
  const open = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next]!;
      const index = next++;
      const base = baseUrls[socketInstance(job.w, job.device, baseUrls.length)]!;
      const url = `${base.replace(/^https:/, 'wss:')}/v1/workspaces/${job.id}/sync/ws`;
      await new Promise<void>((resolve, reject) => {
        const client = new WebSocket(url, {
          ...pinnedTlsOptions(pin),
          headers: {
            authorization: `Bearer ${job.token}`,
            'x-forwarded-for': clientAddress(ADDRESS_POOLS.scale, index),
          },
        });
        client.on('open', () => {
          clients.push(client);
          resolve();
        });
        client.on('error', reject);
        client.on('close', () => {
          if (!closing) listeners.closedEarly++;
        });
        client.on('message', (data) => {
          const at = performance.now();
          const message = JSON.parse(data.toString('utf8')) as { type?: string; seq?: number };
          if (message.type === 'seq' && typeof message.seq === 'number') {
            receipts.push({ workspace: job.w, device: job.device, seq: message.seq, at });
          }
        });
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, open));
  listeners.close = () => {
    closing = true;
    for (const client of clients) client.close();
  };
  return listeners;
}
