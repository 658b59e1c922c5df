import { isIP } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

import * as z from 'zod';

/**
 * Server configuration from command-line flags and COFFER_SERVER_* environment variables
 * (a flag wins over its variable). README "Sync server" lists them; keep both in step.
 */
export interface ServerConfig {
  /** Absolute. Holds the database, the TLS certificate and key, and the mail outbox. */
  dataDir: string;
  host: string;
  /** HTTPS port; 0 lets the OS pick (start-up prints the real one). */
  port: number;
  /** Plain-HTTP port that only 301-redirects to HTTPS; undefined = no such listener. */
  httpPort: number | undefined;
  /** Absolute path of the master key file (`<dataDir>.master-key` unless named). */
  keyFile: string;
  storage: 'sqlite' | 'postgres';
  /**
   * `postgres://` URL of the database when `storage` is postgres (it may hold a password:
   * show it only through `redactDatabaseUrl`); undefined with sqlite.
   */
  databaseUrl: string | undefined;
  /**
   * SMTP relay URL (smtps://, or smtp:// with STARTTLS required unless the relay is on
   * loopback: mail/smtp-relay.ts); undefined = mail goes to `<dataDir>/outbox`.
   */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** HaveIBeenPwned range check, over https only; off unless enabled (`--hibp` or a URL). */
  hibp: { enabled: boolean; baseUrl: string };
  /**
   * Absolute path of a PEM file of extra certificate authorities the server trusts when it
   * connects out (SMTP relay, HaveIBeenPwned), besides Node's built-in list.
   */
  trustCaFile: string | undefined;
  /**
   * Addresses (or CIDR ranges) of the reverse proxies in front, whose X-Forwarded-For
   * entries are believed; false = none. A bare "trust the header" switch would let any
   * client pick its own IP and walk past the per-IP limits.
   */
  trustProxy: string[] | false;
  /** Public https origin clients use (WebAuthn origin); default `https://host:port`. */
  publicUrl: string | undefined;
  /** WebAuthn relying-party id; default the public URL's host name. */
  rpId: string | undefined;
  /**
   * Further origins whose passkey ceremonies the server accepts besides its own (the app's:
   * web mode's `http://localhost:PORT`, a web front end's https origin). Empty by default.
   */
  webauthnOrigins: string[];
  /** Maximum request body in bytes. */
  bodyLimit: number;
  logLevel: LogLevel;
  /**
   * The Prometheus scrape listener (metrics/metrics-listener.ts); undefined = none. It binds
   * loopback unless `host` says otherwise, and then a token file is required.
   */
  metrics: MetricsConfig | undefined;
}

export interface MetricsConfig {
  host: string;
  /** 0 lets the OS pick. */
  port: number;
  /** Absolute path of a file holding the bearer token scrapes must send; undefined = none. */
  tokenFile: string | undefined;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const DEFAULT_PORT = 8443;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const DEFAULT_HIBP_URL = 'https://api.pwnedpasswords.com';

/** Bad flags or variables: main prints the message and exits with status 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Flag name → environment variable. */
export const CONFIG_ENV: Readonly<Record<string, string>> = {
  'data-dir': 'COFFER_SERVER_DATA_DIR',
  port: 'COFFER_SERVER_PORT',
  host: 'COFFER_SERVER_HOST',
  'http-port': 'COFFER_SERVER_HTTP_PORT',
  'key-file': 'COFFER_SERVER_KEY_FILE',
  storage: 'COFFER_SERVER_STORAGE',
  'database-url': 'COFFER_SERVER_DATABASE_URL',
  'smtp-url': 'COFFER_SERVER_SMTP_URL',
  'mail-from': 'COFFER_SERVER_MAIL_FROM',
  hibp: 'COFFER_SERVER_HIBP',
  'hibp-url': 'COFFER_SERVER_HIBP_URL',
  'trust-ca': 'COFFER_SERVER_TRUST_CA',
  'trust-proxy': 'COFFER_SERVER_TRUST_PROXY',
  'public-url': 'COFFER_SERVER_PUBLIC_URL',
  'rp-id': 'COFFER_SERVER_RP_ID',
  'webauthn-origin': 'COFFER_SERVER_WEBAUTHN_ORIGIN',
  'body-limit': 'COFFER_SERVER_BODY_LIMIT',
  'log-level': 'COFFER_SERVER_LOG_LEVEL',
  'metrics-port': 'COFFER_SERVER_METRICS_PORT',
  'metrics-host': 'COFFER_SERVER_METRICS_HOST',
  'metrics-token-file': 'COFFER_SERVER_METRICS_TOKEN_FILE',
};

/** Also accepted for the key file: the name older set-ups use. */
const KEY_FILE_ENV_ALIAS = 'COFFER_SERVER_MASTER_KEY_FILE';

const BOOLEAN_FLAGS = new Set(['hibp']);
/** Flags that may be given more than once; their values are joined with commas. */
const REPEATABLE_FLAGS = new Set(['webauthn-origin']);

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`);

const booleanText = (name: string) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: `${name} must be true or false`,
    })
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

function isAddressOrRange(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const httpUrl = (name: string, schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch (_error) {
        return false;
      }
    },
    { error: `${name} must be a URL starting with ${schemes.join(' or ')}//` },
  );

/**
 * An origin a browser may report in a passkey's client data: exactly `scheme://host[:port]`,
 * https, or http on `localhost` only (the one plain-http secure context WebAuthn runs in).
 * Anything with a path, query, credentials or another scheme is refused, so a typo cannot
 * silently widen what the server accepts.
 */
function isWebauthnOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch (_error) {
    return false;
  }
  if (url.origin !== value) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost');
}

function isDatabaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.host !== '';
  } catch (_error) {
    return false;
  }
}

/** The database URL with its password (if any) replaced, for messages and logs. */
export function redactDatabaseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password !== '') url.password = '***';
    url.searchParams.delete('password');
    return url.toString();
  } catch (_error) {
    return '(unreadable URL)';
  }
}

const RawConfigSchema = z.object({
  'data-dir': z
    .string({ error: '--data-dir (or COFFER_SERVER_DATA_DIR) is required' })
    .min(1, '--data-dir must not be empty'),
  port: port('--port').default(DEFAULT_PORT),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, '--host must be a host name or IP address')
    .default(DEFAULT_HOST),
  'http-port': port('--http-port').optional(),
  'key-file': z.string().min(1, '--key-file must not be empty').optional(),
  storage: z
    .enum(['sqlite', 'postgres'], { error: '--storage must be sqlite or postgres' })
    .default('sqlite'),
  // The message never repeats the value: it may hold the database password.
  'database-url': z
    .string()
    .refine(isDatabaseUrl, {
      error: '--database-url must be a URL starting with postgres:// or postgresql://',
    })
    .optional(),
  'smtp-url': httpUrl('--smtp-url', ['smtp:', 'smtps:'])
    // nodemailer would read TLS settings from ?query (e.g. ignoreTLS): the scheme decides.
    .refine((value) => !/[?#]/.test(value), {
      error: '--smtp-url takes no ?options; smtps:// or smtp:// (with STARTTLS) decides the TLS',
    })
    .optional(),
  'mail-from': z.string().min(3, '--mail-from must be an address').optional(),
  hibp: booleanText('--hibp').default(false),
  // The range prefix is a hash of the password: it goes over TLS or not at all.
  'hibp-url': httpUrl('--hibp-url', ['https:']).optional(),
  'trust-ca': z.string().min(1, '--trust-ca must not be empty').optional(),
  'trust-proxy': z
    .string()
    .transform((text) => text.split(',').map((a) => a.trim()))
    .refine((list) => list.every(isAddressOrRange), {
      error: '--trust-proxy must list proxy addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8',
    })
    .optional(),
  'public-url': httpUrl('--public-url', ['https:']).optional(),
  'rp-id': z
    .string()
    .regex(/^[a-z0-9.-]+$/i, '--rp-id must be a domain name')
    .optional(),
  'webauthn-origin': z
    .string()
    .transform((text) => text.split(',').map((o) => o.trim()))
    .refine((list) => list.every(isWebauthnOrigin), {
      error:
        '--webauthn-origin must be an origin like https://app.example.org or http://localhost:5173 (no path, no trailing slash)',
    })
    .optional(),
  'body-limit': z.coerce
    .number({ error: '--body-limit must be a number of bytes' })
    .int('--body-limit must be a whole number of bytes')
    .min(1024, '--body-limit must be at least 1024 bytes')
    .max(64 * 1024 * 1024, '--body-limit must be at most 64 MiB')
    .default(DEFAULT_BODY_LIMIT),
  'log-level': z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: '--log-level must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  'metrics-port': port('--metrics-port').optional(),
  'metrics-host': z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, '--metrics-host must be a host name or IP address')
    .optional(),
  'metrics-token-file': z.string().min(1, '--metrics-token-file must not be empty').optional(),
});

/** Loopback names and addresses: only these may serve metrics without a token. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Parses flags (argv after the command) and environment. Throws ConfigError naming the
 * offending flag. Relative paths resolve against `cwd`.
 */
export function parseServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): ServerConfig {
  const raw = collectRaw(argv, env);
  const parsed = RawConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(first?.message ?? 'Invalid configuration');
  }
  const c = parsed.data;
  const dataDir = path.resolve(cwd, c['data-dir']);
  if (dataDir === path.parse(dataDir).root) {
    throw new ConfigError('--data-dir must not be the file system root');
  }
  const databaseUrl = c['database-url'];
  if (c.storage === 'postgres' && databaseUrl === undefined) {
    throw new ConfigError(
      '--storage postgres needs --database-url (or COFFER_SERVER_DATABASE_URL)',
    );
  }
  if (c.storage === 'sqlite' && databaseUrl !== undefined) {
    throw new ConfigError('--database-url goes with --storage postgres');
  }
  const hibpUrl = c['hibp-url'];
  return {
    ...metricsConfig(c, cwd),
    dataDir,
    host: c.host,
    port: c.port,
    httpPort: c['http-port'],
    keyFile: path.resolve(cwd, c['key-file'] ?? `${dataDir}.master-key`),
    storage: c.storage,
    databaseUrl,
    smtpUrl: c['smtp-url'],
    mailFrom: c['mail-from'],
    hibp: { enabled: c.hibp || hibpUrl !== undefined, baseUrl: hibpUrl ?? DEFAULT_HIBP_URL },
    trustCaFile: c['trust-ca'] === undefined ? undefined : path.resolve(cwd, c['trust-ca']),
    trustProxy: c['trust-proxy'] ?? false,
    publicUrl: c['public-url'],
    rpId: c['rp-id'],
    webauthnOrigins: c['webauthn-origin'] ?? [],
    bodyLimit: c['body-limit'],
    logLevel: c['log-level'],
  };
}

function collectRaw(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const flag of Object.keys(CONFIG_ENV)) {
    options[flag] = {
      type: BOOLEAN_FLAGS.has(flag) ? 'boolean' : 'string',
      ...(REPEATABLE_FLAGS.has(flag) ? { multiple: true } : {}),
    };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : 'Invalid arguments');
  }
  const raw: Record<string, string | undefined> = {};
  for (const [flag, variable] of Object.entries(CONFIG_ENV)) {
    const fromFlag = values[flag];
    const fromEnv = env[variable] ?? (flag === 'key-file' ? env[KEY_FILE_ENV_ALIAS] : undefined);
    if (typeof fromFlag === 'boolean') raw[flag] = fromFlag ? 'true' : 'false';
    else if (Array.isArray(fromFlag)) raw[flag] = fromFlag.map(String).join(',');
    else raw[flag] = fromFlag ?? (fromEnv === '' ? undefined : fromEnv);
  }
  return raw;
}

/** The https origin clients reach: the configured public URL or `https://host:port`. */
export function publicOrigin(config: ServerConfig, actualPort: number = config.port): string {
  if (config.publicUrl !== undefined) return new URL(config.publicUrl).origin;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `https://${host}:${actualPort}`;
}

function metricsConfig(
  c: z.infer<typeof RawConfigSchema>,
  cwd: string,
): { metrics: MetricsConfig | undefined } {
  const port = c['metrics-port'];
  if (port === undefined) {
    if (c['metrics-host'] !== undefined || c['metrics-token-file'] !== undefined) {
      throw new ConfigError('--metrics-host and --metrics-token-file need --metrics-port');
    }
    return { metrics: undefined };
  }
  const host = c['metrics-host'] ?? DEFAULT_HOST;
  const tokenFile = c['metrics-token-file'];
  if (!isLoopback(host) && tokenFile === undefined) {
    // Metrics show sign-in failures and traffic: off loopback, only an operator may read them.
    throw new ConfigError('--metrics-host other than loopback needs --metrics-token-file');
  }
  return {
    metrics: {
      host,
      port,
      tokenFile: tokenFile === undefined ? undefined : path.resolve(cwd, tokenFile),
    },
  };
}
