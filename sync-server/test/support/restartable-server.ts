import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ManualClock } from '../../clock.js';
import type { ServerConfig } from '../../config/server-config.js';
import { startTestServer } from './start-test-server.js';
import type { TestServer } from './start-test-server.js';

export interface RestartableServer {
  /** The running server; a new object after each `restart`. */
  current: TestServer;
  dataDir: string;
  /** Stops the server (requests finish, database closed) and starts it on the same data dir. */
  restart(): Promise<TestServer>;
  /** Stops the server and deletes the data dir and key file. */
  close(): Promise<void>;
}

/**
 * The real server over TLS on a data dir and master key that outlive it, so a test can stop
 * it and start it again on the same files (what a restart or a crash-and-restart does).
 */
export async function startRestartableServer(options: {
  clock: ManualClock;
  config?: Partial<ServerConfig>;
}): Promise<RestartableServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-restart-test-'));
  const dataDir = path.join(root, 'data');
  const start = (): Promise<TestServer> =>
    startTestServer({
      clock: options.clock,
      config: { ...options.config, dataDir, keyFile: path.join(root, 'master.key') },
    });
  let current: TestServer;
  try {
    current = await start();
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const handle: RestartableServer = {
    current,
    dataDir,
    restart: async () => {
      await handle.current.close();
      handle.current = await start();
      return handle.current;
    },
    close: async () => {
      await handle.current.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return handle;
}
