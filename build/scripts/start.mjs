// `npm start`: the desktop window where this machine has an Electron binary and a display;
// otherwise web mode, after saying why. Arguments after `--` go to whichever starts
// (`npm start -- --vault DIR`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { electronBinary } from './electron-available.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * What to run, given whether Electron is available.
 * @param {import('./electron-available.mjs').ElectronBinary} found
 * @param {string[]} args
 * @returns {{ mode: 'electron' | 'web', command: string, args: string[], notice: string | null }}
 */
export function startPlan(found, args) {
  if (found.ok) {
    return { mode: 'electron', command: found.path, args: ['.', ...args], notice: null };
  }
  return {
    mode: 'web',
    command: process.execPath,
    args: ['--import', 'tsx', path.join('electron', 'web', 'main.ts'), ...args],
    notice:
      `Coffer: no desktop window here: ${found.reason}.\n` +
      'Starting web mode instead: open the address below in your browser.\n',
  };
}

/**
 * The desktop app runs from its build; make it when it is missing.
 * @param {string} root
 */
function buildDesktopApp(root) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const scripts = pkg.scripts ?? {};
  if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html')) && scripts['build:renderer']) {
    spawnSync(NPM, ['run', 'build:renderer'], { cwd: root, stdio: 'inherit' });
  }
  if (
    typeof pkg.main === 'string' &&
    !existsSync(path.join(root, pkg.main)) &&
    scripts['build:app']
  ) {
    spawnSync(NPM, ['run', 'build:app'], { cwd: root, stdio: 'inherit' });
  }
}

/**
 * Runs the plan in the foreground and resolves with its exit status. Ctrl+C and SIGTERM
 * reach the child, which closes the vault before it exits.
 * @param {{ command: string, args: string[] }} plan
 * @param {string} root
 * @returns {Promise<number>}
 */
function runInForeground(plan, root) {
  return new Promise((resolve) => {
    const child = spawn(plan.command, plan.args, { cwd: root, stdio: 'inherit' });
    /** @param {NodeJS.Signals} signal */
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      process.stderr.write(`Coffer: could not start ${plan.command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/**
 * @param {{
 *   args?: string[],
 *   root?: string,
 *   found?: import('./electron-available.mjs').ElectronBinary,
 *   write?: (text: string) => void,
 *   run?: (plan: ReturnType<typeof startPlan>, root: string) => Promise<number>,
 * }} [options]
 * @returns {Promise<number>}
 */
export async function start(options = {}) {
  const root = options.root ?? ROOT;
  const found = options.found ?? electronBinary({ root });
  const plan = startPlan(found, options.args ?? []);
  const write = options.write ?? ((text) => process.stdout.write(text));
  if (plan.notice !== null) write(plan.notice);
  if (plan.mode === 'electron' && options.run === undefined) buildDesktopApp(root);
  return (options.run ?? runInForeground)(plan, root);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await start({ args: process.argv.slice(2) });
}
