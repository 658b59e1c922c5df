// The dependency audit CI runs: `npm audit --omit=dev --audit-level=high` against the
// registry's advisory service, over what the app runs (dependencies, not dev tools).
//   exit 0  no high or critical advisory for a runtime dependency
//   exit 1  at least one: each is listed (package, severity, title, advisory URL)
//   exit 3  the advisory service could not be asked (it refused the request or did not
//           answer) and COFFER_REQUIRE_AUDIT=1; without that variable the run says so
//           plainly and exits 0, since a registry mirror that serves packages but no
//           advisories (as some do) must not block every build. It never passes silently.
// COFFER_AUDIT_REGISTRY=URL asks another registry (a mirror, or the tests' fake one).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `npm audit --json`'s output; its exit status says nothing more than the report does.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ stdout: string, error?: Error }>}
 */
function npmJson(args, env) {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (error) => resolve({ stdout, error }));
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout });
    });
  });
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ status: number, lines: string[] }>}
 */
export async function runAudit(env) {
  const args = ['audit', '--omit=dev', '--audit-level=high', '--json'];
  if (env.COFFER_AUDIT_REGISTRY) args.push('--registry', env.COFFER_AUDIT_REGISTRY);
  const npm = await npmJson(args, env);
  /** @type {any} */
  let report;
  try {
    report = JSON.parse(npm.stdout);
  } catch {
    report = undefined;
  }
  if (report === undefined || report.vulnerabilities === undefined) {
    const why =
      report?.message ?? report?.error?.summary ?? npm.error?.message ?? 'no report from npm';
    const lines = [`dependency audit: the registry's advisory service could not be asked (${why})`];
    if (env.COFFER_REQUIRE_AUDIT === '1') return { status: 3, lines };
    lines.push('dependency audit: NOT CHECKED; set COFFER_REQUIRE_AUDIT=1 to fail instead');
    return { status: 0, lines };
  }
  /** @type {string[]} */
  const found = [];
  for (const [name, entry] of Object.entries(report.vulnerabilities)) {
    for (const via of entry.via ?? []) {
      if (typeof via !== 'object' || !['high', 'critical'].includes(via.severity)) continue;
      found.push(`  ${name}: ${via.severity}, ${via.title} (${via.url})`);
    }
  }
  const counts = report.metadata?.vulnerabilities ?? {};
  if (found.length > 0) {
    return {
      status: 1,
      lines: [
        `dependency audit: ${found.length} high or critical advisories for runtime dependencies:`,
        ...found,
      ],
    };
  }
  return {
    status: 0,
    lines: [
      `dependency audit: no high or critical advisory for runtime dependencies (` +
        `${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low)`,
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { status, lines } = await runAudit(process.env);
  for (const line of lines) (status === 0 ? console.log : console.error)(line);
  process.exitCode = status;
}
