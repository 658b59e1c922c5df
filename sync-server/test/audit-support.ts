import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { AuditService } from '../audit/audit.service.js';
import { ManualClock } from '../clock.js';
import { parseServerConfig } from '../config/server-config.js';
import type { ServerConfig } from '../config/server-config.js';
import { createLogger } from '../logger.js';
import { startServer } from '../server.js';
import type { RunningServer } from '../server.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { FAST_ARGON2 } from './support/fast-argon2.js';
import { sendRequest } from './support/start-test-server.js';
import type { TestResponse } from './support/start-test-server.js';

export interface AuditRow {
  seq: number;
  id: string;
  at: number;
  request_id: string;
  action: string;
  status_code: number;
  error_code: string | null;
  outcome: string;
  ip: string;
  user_id: string | null;
  session_id: string | null;
  subject_user_id: string | null;
  factor: string | null;
  device_name: string | null;
  user_agent: string | null;
  /** Set instead of user_id / subject_user_id once that account is deleted. */
  user_pseudonym: string | null;
  subject_pseudonym: string | null;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/**
 * The real server over TLS 1.3 with its log captured (level info) and a ManualClock — what
 * startTestServer gives, plus the log text, which the audit tests search for secrets.
 */
export interface LoggedServer {
  running: RunningServer;
  clock: ManualClock;
  /** Everything logged so far (pino JSON lines). */
  logText(): string;
  request<T = unknown>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<TestResponse<T>>;
  /** Waits for pending audit writes, then returns every audit row, oldest first. */
  auditRows(): Promise<AuditRow[]>;
  /** Every table of the database as text, for "the secret is nowhere" checks. */
  databaseDump(): Promise<string>;
  close(): Promise<void>;
}

export async function startLoggedServer(
  options: { config?: Partial<ServerConfig>; clock?: ManualClock } = {},
): Promise<LoggedServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-audit-test-'));
  const dataDir = path.join(root, 'data');
  const config: ServerConfig = {
    ...parseServerConfig(['--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'], {}),
    logLevel: 'info',
    ...options.config,
  };
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const clock = options.clock ?? new ManualClock(Date.UTC(2030, 0, 1, 12, 0, 0));
  let running: RunningServer;
  try {
    running = await startServer(config, {
      clock,
      logger: createLogger('info', sink),
      mailer: { send: async () => undefined },
      argon2: FAST_ARGON2,
    });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const agent = new https.Agent({ ca: running.certPem, keepAlive: true });
  const db = (running.deps.storage as SqliteStorage).db;
  const settle = async (): Promise<void> => {
    if (running.deps.audit instanceof AuditService) await running.deps.audit.settled();
  };

  return {
    running,
    clock,
    logText: () => chunks.join(''),
    request: (method, requestPath, requestOptions = {}) =>
      sendRequest(agent, running.url, method, requestPath, requestOptions),
    auditRows: async () => {
      await settle();
      return db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
    },
    databaseDump: async () => {
      await settle();
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[];
      return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM "${t}"`).all()));
    },
    close: async () => {
      agent.destroy();
      await running.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
