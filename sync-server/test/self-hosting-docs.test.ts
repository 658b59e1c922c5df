import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runServerCommand, spawnServerProcess } from './support/spawn-server-process.js';
import { sendRequest } from './support/start-test-server.js';

/**
 * Runs the `npm run server` commands of docs/self-hosting.md's "One box on SQLite",
 * "Master-key rotation" and "Upgrades" sections, in order, as written: `~` is a temporary
 * home, and a server command listens on a port the OS picks (`--port 0` added). Between
 * them it does what the prose says an operator does: signs up on the new server, stops it
 * before the rotation, starts it again after and signs in, so the rotated key still opens
 * what the old one sealed.
 */
const DOC = fileURLToPath(new URL('../../docs/self-hosting.md', import.meta.url));
const SECTIONS = ['One box on SQLite', 'Master-key rotation', 'Upgrades'];

async function sectionCommands(title: string): Promise<string[][]> {
  const text = await readFile(DOC, 'utf8');
  const start = text.indexOf(`\n## ${title}\n`);
  expect(start, title).toBeGreaterThan(0);
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  const commands: string[][] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of (block[1] ?? '').split('\n')) {
      if (line.trim() === '') continue;
      commands.push(line.trim().split(/\s+/));
    }
  }
  return commands;
}

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'coffer-self-hosting-'));
  await mkdir(path.join(home, 'backups'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe(
  'docs/self-hosting.md, one box, master-key rotation and upgrades',
  { timeout: 300_000 },
  () => {
    it('every command shown runs as the doc says', async () => {
      const commands = (await Promise.all(SECTIONS.map(sectionCommands))).flat();
      const account = {
        email: `owner-${process.pid}@example.test`,
        password: 'kettle meadow 4 lantern',
      };
      const dataDir = path.join(home, 'coffer-server');
      const keyFile = `${dataDir}.master-key`;
      let serveArgs: string[] | undefined;
      let signedUp = false;
      const ran: string[] = [];

      // Starts the server the doc's way, signs up the first time and signs in after, stops it.
      const serveOnce = async (args: string[]): Promise<void> => {
        const server = await spawnServerProcess({
          args: [...args, '--port', '0'],
          env: { HOME: home },
        });
        try {
          const agent = new https.Agent({
            ca: await readFile(path.join(dataDir, 'tls', 'server.crt'), 'utf8'),
          });
          const answer = await sendRequest(
            agent,
            server.url,
            'POST',
            signedUp ? '/v1/auth/login' : '/v1/auth/register',
            { body: { ...account, deviceName: 'Owner laptop' } },
          );
          expect(answer.status, answer.text).toBe(signedUp ? 200 : 201);
          signedUp = true;
        } finally {
          await server.stop();
        }
      };

      for (const words of commands) {
        expect(words.slice(0, 4), words.join(' ')).toEqual(['npm', 'run', 'server', '--']);
        const args = words.slice(4).map((word) => word.replace(/^~(?=\/)/, home));
        const [command] = args;
        if (command === '--data-dir') {
          serveArgs = args;
          await serveOnce(args);
          ran.push('serve');
          continue;
        }
        const keyBefore = await readFile(keyFile);
        const result = await runServerCommand({ args, env: { HOME: home }, timeoutMs: 120_000 });
        expect(result.code, `${words.join(' ')}\n${result.stderr}`).toBe(0);
        if (command === 'rotate-master-key') {
          expect((await readFile(keyFile)).equals(keyBefore)).toBe(false);
          // "then start the server again": the new key opens what the old one sealed.
          expect(serveArgs).toBeDefined();
          await serveOnce(serveArgs ?? []);
        }
        if (command === 'backup') {
          const out = args[args.indexOf('--out') + 1] ?? '';
          expect((await stat(out)).mode & 0o077).toBe(0);
        }
        ran.push(command ?? '');
      }
      expect(ran).toEqual(['serve', 'rotate-master-key', 'backup']);
    });
  },
);
