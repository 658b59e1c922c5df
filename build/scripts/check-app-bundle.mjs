// Reads the built desktop bundles (dist/app/) and names anything that would widen what a
// window can reach: the preload must need nothing but `electron`, expose exactly one
// object (`coffer`), and never hand a page an invoke, a sendSync or ipcRenderer itself;
// the main process must register no `ipcMain.handle` (there is no invoke to answer).
//
// Usage: node build/scripts/check-app-bundle.mjs [DIR]   (DIR defaults to dist/app)
// Prints each problem and exits 1 if there is any.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} source the built preload
 * @returns {string[]}
 */
export function preloadProblems(source) {
  const problems = [];
  const required = [...source.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  for (const name of new Set(required)) {
    if (name !== 'electron')
      problems.push(`preload requires '${name}' (only 'electron' loads in a sandbox)`);
  }
  if (/\bimport\s*\(/.test(source) || /^\s*import\s/m.test(source)) {
    problems.push('preload is not one CommonJS file (it imports modules)');
  }
  const exposed = [...source.matchAll(/exposeInMainWorld\(\s*["'`]([^"'`]+)["'`]/g)].map(
    (m) => m[1],
  );
  if (exposed.length !== 1 || exposed[0] !== 'coffer') {
    problems.push(`preload exposes ${JSON.stringify(exposed)}; expected exactly ["coffer"]`);
  }
  if (/exposeInIsolatedWorld|executeInMainWorld/.test(source)) {
    problems.push('preload reaches into another world besides exposing coffer');
  }
  if (/\.invoke\s*\(/.test(source)) problems.push('preload calls ipcRenderer.invoke');
  if (
    /\.sendSync\s*\(|\.sendToHost\s*\(|\.postMessage\s*\(\s*[^,)]*,\s*[^)]*ipcRenderer/.test(source)
  ) {
    problems.push('preload uses sendSync, sendToHost or posts through ipcRenderer');
  }
  const sends = [...source.matchAll(/ipcRenderer\.send\(([^)]*)\)/g)].map((m) => m[1].trim());
  for (const argument of sends) {
    // coffer:connect with no payload; coffer:os-check with one request object (main parses it).
    const connect = /^[A-Za-z_$.]*connect$|^["'`]coffer:connect["'`]$/;
    const osCheck = /^(?:[A-Za-z_$.]*osCheck|["'`]coffer:os-check["'`])\s*,\s*[A-Za-z_$][\w$]*$/;
    if (!connect.test(argument) && !osCheck.test(argument)) {
      problems.push(`preload sends on a channel it does not fix: ipcRenderer.send(${argument})`);
    }
  }
  // ipcRenderer itself handed over the bridge: as a value in an object or an argument.
  if (/[:,(]\s*(?:electron\.)?ipcRenderer\s*[,)}]/.test(source)) {
    problems.push('preload passes ipcRenderer itself as a value');
  }
  return problems;
}

/**
 * @param {string} source the built main process
 * @returns {string[]}
 */
export function mainProblems(source) {
  const problems = [];
  if (/ipcMain\.handle(Once)?\s*\(/.test(source)) problems.push('main registers ipcMain.handle');
  if (!/ipcMain\.on\(/.test(source)) problems.push('main registers no ipcMain.on channel');
  return problems;
}

/**
 * @param {string} dir the built app (dist/app)
 * @returns {string[]}
 */
export function checkAppBundle(dir) {
  const preload = path.join(dir, 'preload', 'preload.cjs');
  const main = path.join(dir, 'main', 'main.js');
  const problems = [];
  for (const file of [preload, main, path.join(dir, 'main', 'core-process.js')]) {
    if (!existsSync(file)) problems.push(`missing ${path.relative(dir, file)}`);
  }
  if (problems.length > 0) return problems;
  return [
    ...preloadProblems(readFileSync(preload, 'utf8')),
    ...mainProblems(readFileSync(main, 'utf8')),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = path.resolve(process.argv[2] ?? 'dist/app');
  const problems = checkAppBundle(dir);
  for (const problem of problems) process.stderr.write(`check-app-bundle: ${problem}\n`);
  if (problems.length === 0) process.stdout.write(`check-app-bundle: ${dir} is fine\n`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
