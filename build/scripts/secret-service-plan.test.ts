import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

/**
 * How npm test decides about the suites tagged secret-service, run for real
 * (secret-service-plan.sh → with-keyring.sh --check) on a PATH this test builds: stand-in
 * `uname`, `dbus-run-session`, `dbus-send` and `gnome-keyring-daemon` that only have to
 * exist, so every case is the same on any machine. Nothing here starts a keyring.
 */
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'secret-service-plan.sh');
const KEYRING_TOOLS = ['dbus-run-session', 'dbus-send', 'gnome-keyring-daemon'];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Where bash is on the test runner's PATH: the plan script runs with a PATH of our own. */
function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  throw new Error(`${command} is not on PATH`);
}

function fakeTool(dir: string, name: string, script: string): void {
  writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(dir, name), 0o755);
}

/** A PATH directory holding `uname` (printing `system`), grep and the named keyring tools. */
function toolDir(system: string, tools: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'coffer-plan-'));
  dirs.push(dir);
  fakeTool(dir, 'uname', `echo ${system}`);
  symlinkSync(which('grep'), path.join(dir, 'grep'));
  for (const tool of tools) {
    // dbus-send answers the "does the session have org.freedesktop.secrets" question.
    fakeTool(dir, tool, tool === 'dbus-send' ? 'echo "   boolean true"' : 'exit 0');
  }
  return dir;
}

function plan(pathDir: string, env: Record<string, string> = {}) {
  const result = spawnSync(which('bash'), [SCRIPT], {
    // Only what is given here: no DBUS_SESSION_BUS_ADDRESS, COFFER_KEYRING or CI leaks in.
    env: { PATH: pathDir, HOME: tmpdir(), ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('secret-service-plan.sh', () => {
  it('runs everything when the tools for a throw-away keyring are there', () => {
    const result = plan(toolDir('Linux', KEYRING_TOOLS));
    expect(result).toEqual({
      status: 0,
      stdout: 'run isolated: a throw-away gnome-keyring on a private D-Bus session\n',
      stderr: '',
    });
  });

  it('skips, and says why, where there are no tools and no Secret Service on the session', () => {
    const result = plan(toolDir('Linux', []));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'skip no Secret Service: dbus-run-session dbus-send gnome-keyring-daemon not installed ' +
        'and this session has none (install gnome-keyring and dbus; install-system-deps.sh ' +
        'does it on Debian/Ubuntu)\n',
    );
  });

  it('names only the tools that are missing', () => {
    const result = plan(toolDir('Linux', ['dbus-run-session', 'dbus-send']));
    expect(result.stdout).toMatch(/^skip no Secret Service: gnome-keyring-daemon not installed /);
  });

  it('never skips under CI: no Secret Service there is an error', () => {
    for (const ci of ['true', '1', 'github']) {
      const result = plan(toolDir('Linux', []), { CI: ci });
      expect(result.status, `CI=${ci}`).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `CI=${ci} runs every suite, and here there is no Secret Service`,
      );
    }
    expect(plan(toolDir('Linux', []), { CI: 'false' }).stdout).toMatch(/^skip /);
  });

  it("uses the session's own Secret Service when it has one and the tools are missing", () => {
    const dir = toolDir('Linux', ['dbus-send']);
    const result = plan(dir, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(result.stdout).toBe(
      'run fallback: dbus-run-session gnome-keyring-daemon missing; ' +
        "this session's own Secret Service (your real keyring)\n",
    );
  });

  it('needs no daemon off Linux, and follows COFFER_KEYRING', () => {
    expect(plan(toolDir('Darwin', [])).stdout).toBe(
      'run native: Darwin keeps the keys in its own keychain, no daemon needed\n',
    );
    expect(plan(toolDir('Linux', []), { COFFER_KEYRING: 'session' }).stdout).toMatch(
      /^run session: /,
    );
    expect(plan(toolDir('Linux', []), { COFFER_KEYRING: 'isolated' }).stdout).toMatch(
      /^run outer: /,
    );
    const bad = plan(toolDir('Linux', KEYRING_TOOLS), { COFFER_KEYRING: 'mine' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("COFFER_KEYRING must be 'session' or unset (got 'mine')");
  });
});
