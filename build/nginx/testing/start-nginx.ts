import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The configuration Coffer ships for operators. */
export const SHIPPED_CONF = fileURLToPath(new URL('../coffer-sync.conf', import.meta.url));

export interface NginxFront {
  /** `https://HOST:PORT` clients connect to. */
  url: string;
  host: string;
  port: number;
  /** The site file as run: the shipped one with this run's ports and paths. */
  siteConf: string;
  /** nginx's error log so far. */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

export interface NginxFrontOptions {
  /** Ports of the instances on 127.0.0.1. */
  upstreamPorts: readonly number[];
  /** The certificate clients pin. */
  certPem: string;
  keyPem: string;
  /** Every instance's certificate, concatenated (what nginx verifies them against). */
  instancesPem: string;
  /** The address nginx listens on. */
  listenOn: string;
}

const execFileAsync = promisify(execFile);

/** Debian keeps nginx in /usr/sbin, off a normal user's PATH. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `text` with `pattern` replaced; throws when it is not there, so a changed file fails loudly. */
function replaceIn(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`coffer-sync.conf no longer has ${String(pattern)}`);
  return text.replace(pattern, replacement);
}

/**
 * The shipped site file with this run's values in the places it marks for the operator:
 * the listening address, the instances' ports, the certificate paths.
 */
export async function siteConfFor(
  dir: string,
  options: NginxFrontOptions,
  port: number,
): Promise<string> {
  let conf = await readFile(SHIPPED_CONF, 'utf8');
  conf = replaceIn(conf, /^ {4}listen 443 ssl;$/m, `    listen ${options.listenOn}:${port} ssl;`);
  const servers = options.upstreamPorts
    .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  conf = replaceIn(conf, /(?:^ {4}server 127\.0\.0\.1:844\d [^\n]*\n)+/m, `${servers}\n`);
  conf = replaceIn(conf, /\/etc\/coffer\/proxy\//g, `${dir}/`);
  return conf;
}

/** Resolves once something accepts TCP connections on host:port, or rejects when nginx exits. */
async function untilListening(
  host: string,
  port: number,
  child: ChildProcess,
  failed: () => Error | undefined,
): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const error = failed();
    if (error !== undefined) throw error;
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('nginx did not listen within 30 s');
}

/**
 * Debian's nginx in the foreground (`daemon off`) with a prefix of its own in a temporary
 * folder: its pid file, error log and temp folders live there, on a port the OS picked, so
 * neither root nor the system's nginx set-up is needed. The http block includes the shipped
 * site file with this run's ports and certificate paths.
 */
export async function startNginxFront(options: NginxFrontOptions): Promise<NginxFront> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coffer-nginx-'));
  // Run as root, nginx's workers drop to `nobody`, who must reach the temp folders in here.
  chmodSync(dir, 0o755);
  const port = await freePort(options.listenOn);
  const siteConf = await siteConfFor(dir, options, port);
  await writeFile(path.join(dir, 'cert.pem'), options.certPem);
  await writeFile(path.join(dir, 'key.pem'), options.keyPem, { mode: 0o600 });
  await writeFile(path.join(dir, 'instances.pem'), options.instancesPem);
  await writeFile(path.join(dir, 'coffer-sync.conf'), siteConf);
  const main = [
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `    ${kind}_temp_path ${dir}/${kind}-temp;`,
    ),
    `    include ${dir}/coffer-sync.conf;`,
    '}',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'nginx.conf'), main);

  // What docs/self-hosting.md has the operator run before a reload: the check must pass.
  await execFileAsync(NGINX, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr']);

  let stderr = '';
  const child = spawn(
    NGINX,
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = new Error(
      `nginx could not start (${error.message}); install it with ` +
        '`bash build/scripts/install-system-deps.sh` (Debian package nginx).',
    );
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilListening(options.listenOn, port, child, () => spawnError);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  }
  const urlHost = options.listenOn.includes(':') ? `[${options.listenOn}]` : options.listenOn;
  return {
    url: `https://${urlHost}:${port}`,
    host: options.listenOn,
    port,
    siteConf,
    errorLog: () => readFile(path.join(dir, 'error.log'), 'utf8').catch(() => ''),
    stop,
  };
}
