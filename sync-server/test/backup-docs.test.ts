import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { createTestDatabase, freshPostgresUrl } from './support/postgres-test-database.js';
import { runServerCommand, spawnServerProcess } from './support/spawn-server-process.js';
import type { ServerProcess } from './support/spawn-server-process.js';
import { sendRequest } from './support/start-test-server.js';

/**
 * Runs every command of docs/self-hosting.md's "Backups" section, in order, as written:
 * `~` is a temporary home, the example PostgreSQL URLs are test databases, and the drill's
 * port is one the OS picks. A command the doc shows and this test cannot run fails it.
 */
const DOC = fileURLToPath(new URL('../../docs/self-hosting.md', import.meta.url));
const SOURCE_URL = 'postgres://coffer:PASSWORD@db.example.org:5432/coffer';
const DRILL_URL = 'postgres://coffer:PASSWORD@db.example.org:5432/coffer_drill';

async function backupCommands(): Promise<string[][]> {
  const text = await readFile(DOC, 'utf8');
  const start = text.indexOf('\n## Backups\n');
  expect(start).toBeGreaterThan(0);
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  const commands: string[][] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of (block[1] ?? '').split('\n')) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      commands.push(line.trim().split(/\s+/));
    }
  }
  return commands;
}

let home: string;
let live: ServerProcess;
let postgres: AccountsTestServer;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'coffer-backup-docs-'));
  await mkdir(path.join(home, 'backups'));
  live = await spawnServerProcess({
    dataDir: path.join(home, 'coffer-server'),
    args: ['--port', '0'],
  });
  // A PostgreSQL deployment under the same master key, for the doc's PostgreSQL commands.
  postgres = await startAccountsServer({
    config: {
      storage: 'postgres',
      databaseUrl: await freshPostgresUrl(),
      keyFile: path.join(home, 'coffer-server.master-key'),
    },
  });
}, 120_000);
afterAll(async () => {
  await live?.stop();
  await postgres?.close();
  await rm(home, { recursive: true, force: true });
});

describe('docs/self-hosting.md, Backups', { timeout: 600_000 }, () => {
  it('every command shown runs as the doc says', async () => {
    const agent = (certFile: string): Promise<https.Agent> =>
      readFile(certFile, 'utf8').then((ca) => new https.Agent({ ca }));
    const account = {
      email: `drill-${process.pid}@example.test`,
      password: 'orchard pebble lantern 77',
    };
    const registered = await sendRequest(
      await agent(path.join(home, 'coffer-server', 'tls', 'server.crt')),
      live.url,
      'POST',
      '/v1/auth/register',
      {
        body: { ...account, deviceName: 'Drill laptop' },
      },
    );
    expect(registered.status, registered.text).toBe(201);

    const urls = new Map([
      [SOURCE_URL, postgres.config.databaseUrl ?? ''],
      [DRILL_URL, await createTestDatabase()],
    ]);
    const commands = await backupCommands();
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const ran: string[] = [];
    for (const words of commands) {
      expect(words.slice(0, 3), words.join(' ')).toEqual(['npm', 'run', 'server']);
      expect(words[3]).toBe('--');
      const args = words.slice(4).map((word, i, all) => {
        if (all[i - 1] === '--port') return '0';
        return urls.get(word) ?? word.replace(/^~(?=\/)/, home);
      });
      const [command] = args;
      if (command === 'backup' || command === 'restore') {
        const result = await runServerCommand({ args, env: { HOME: home }, timeoutMs: 120_000 });
        expect(result.code, `${words.join(' ')}\n${result.stderr}`).toBe(0);
        ran.push(command);
        continue;
      }
      expect(command, words.join(' ')).toBe('--data-dir');
      const drill = await spawnServerProcess({ args, env: { HOME: home } });
      try {
        // The copy keeps the live server's certificate, and the account signs in.
        expect(drill.fingerprint).toBe(live.fingerprint);
        const dataDir = args[args.indexOf('--data-dir') + 1] ?? '';
        const login = await sendRequest(
          await agent(path.join(dataDir, 'tls', 'server.crt')),
          drill.url,
          'POST',
          '/v1/auth/login',
          {
            body: { ...account, deviceName: 'Drill laptop' },
          },
        );
        expect(login.status, login.text).toBe(200);
      } finally {
        await drill.stop();
      }
      ran.push('serve');
    }
    expect(ran).toEqual(['backup', 'backup', 'restore', 'serve', 'restore']);
  });
});
