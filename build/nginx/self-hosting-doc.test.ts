import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { COPY_TLS, INSTANCE_ARGS, instanceEnv } from './testing/deployment.js';

/**
 * The commands docs/self-hosting.md shows under "Several instances on PostgreSQL" are the
 * ones the tests run (build/nginx/testing/): a change to either side fails here.
 */
const DOC = fileURLToPath(new URL('../../docs/self-hosting.md', import.meta.url));

function sectionCommands(): string[] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('## Several instances on PostgreSQL');
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 3);
  const next = rest.indexOf('\n## ');
  const section = next < 0 ? rest : rest.slice(0, next);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim().replace(/\s+/g, ' '))
      .filter((line) => line !== ''),
  );
}

/** The flags of a command line with their values, `--flag value`, in order. */
function flagsOf(words: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (word.startsWith('--')) flags.set(word, words[i + 1] ?? '');
  }
  return flags;
}

describe('docs/self-hosting.md, several instances on PostgreSQL', () => {
  it('shows only commands the tests run', () => {
    const commands = sectionCommands();
    expect(commands).toHaveLength(3);
    for (const command of commands) {
      const words = command.split(' ');
      if (command.startsWith('cp ')) {
        expect(words.slice(0, COPY_TLS.length)).toEqual([...COPY_TLS]);
        expect(words.slice(COPY_TLS.length).map((p) => p.replace(/^.*\//, ''))).toEqual([
          'tls',
          'tls',
        ]);
      } else if (command.startsWith('nginx ')) {
        // start-nginx.ts runs `nginx -t` (with its own prefix and file) before each start.
        expect(command).toBe('nginx -t');
      } else {
        const assignments = words.filter((word) => /^[A-Z_]+=/.test(word));
        expect(assignments.map((word) => word.split('=')[0])).toEqual(
          Object.keys(instanceEnv('url', 'key')),
        );
        const rest = words.slice(assignments.length);
        expect(rest.slice(0, 4)).toEqual(['npm', 'run', 'server', '--']);
        const shown = flagsOf(rest.slice(4));
        const tested = flagsOf(INSTANCE_ARGS);
        // The port is picked by the OS in the tests and the data dir is a temporary folder.
        expect([...shown.keys()].sort()).toEqual([...tested.keys(), '--data-dir'].sort());
        for (const [flag, value] of tested) {
          if (flag !== '--port') expect(shown.get(flag), flag).toBe(value);
        }
      }
    }
  });
});
