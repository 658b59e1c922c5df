import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  ConfigError,
  parseServerConfig,
  publicOrigin,
  redactDatabaseUrl,
} from './server-config.js';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseServerConfig(argv, env, '/srv');

describe('parseServerConfig', () => {
  it('fills defaults around --data-dir', () => {
    expect(parse(['--data-dir', 'coffer'])).toEqual({
      dataDir: '/srv/coffer',
      host: '127.0.0.1',
      port: 8443,
      httpPort: undefined,
      keyFile: '/srv/coffer.master-key',
      storage: 'sqlite',
      databaseUrl: undefined,
      smtpUrl: undefined,
      mailFrom: undefined,
      hibp: { enabled: false, baseUrl: 'https://api.pwnedpasswords.com' },
      trustCaFile: undefined,
      trustProxy: false,
      publicUrl: undefined,
      rpId: undefined,
      webauthnOrigins: [],
      bodyLimit: 65536,
      logLevel: 'info',
      metrics: undefined,
    });
  });

  it('serves metrics on loopback unless a token file guards another address', () => {
    expect(parse(['--data-dir', '/d', '--metrics-port', '9464']).metrics).toEqual({
      host: '127.0.0.1',
      port: 9464,
      tokenFile: undefined,
    });
    expect(
      parse([], {
        COFFER_SERVER_DATA_DIR: '/d',
        COFFER_SERVER_METRICS_PORT: '9464',
        COFFER_SERVER_METRICS_HOST: '0.0.0.0',
        COFFER_SERVER_METRICS_TOKEN_FILE: 'metrics-token',
      }).metrics,
    ).toEqual({ host: '0.0.0.0', port: 9464, tokenFile: path.resolve('/srv', 'metrics-token') });
  });

  it('reads every COFFER_SERVER_* variable', () => {
    const config = parse([], {
      COFFER_SERVER_DATA_DIR: '/data',
      COFFER_SERVER_PORT: '9443',
      COFFER_SERVER_HOST: '0.0.0.0',
      COFFER_SERVER_HTTP_PORT: '8080',
      COFFER_SERVER_KEY_FILE: 'keys/master',
      COFFER_SERVER_SMTP_URL: 'smtp://relay:25',
      COFFER_SERVER_MAIL_FROM: 'c@example.test',
      COFFER_SERVER_HIBP_URL: 'https://127.0.0.1:9999',
      COFFER_SERVER_TRUST_CA: 'certs/relay-ca.pem',
      COFFER_SERVER_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
      COFFER_SERVER_PUBLIC_URL: 'https://coffer.example.test',
      COFFER_SERVER_RP_ID: 'coffer.example.test',
      COFFER_SERVER_BODY_LIMIT: '131072',
      COFFER_SERVER_LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      dataDir: '/data',
      port: 9443,
      host: '0.0.0.0',
      httpPort: 8080,
      keyFile: path.resolve('/srv', 'keys/master'),
      smtpUrl: 'smtp://relay:25',
      mailFrom: 'c@example.test',
      hibp: { enabled: true, baseUrl: 'https://127.0.0.1:9999' },
      trustCaFile: path.resolve('/srv', 'certs/relay-ca.pem'),
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
      publicUrl: 'https://coffer.example.test',
      rpId: 'coffer.example.test',
      bodyLimit: 131072,
      logLevel: 'warn',
    });
    expect(publicOrigin(config)).toBe('https://coffer.example.test');
  });

  it('takes --webauthn-origin more than once, or a comma list in its variable', () => {
    expect(
      parse([
        '--data-dir',
        '/d',
        '--webauthn-origin',
        'http://localhost:5173',
        '--webauthn-origin',
        'https://app.example.test',
      ]).webauthnOrigins,
    ).toEqual(['http://localhost:5173', 'https://app.example.test']);
    expect(
      parse([], {
        COFFER_SERVER_DATA_DIR: '/d',
        COFFER_SERVER_WEBAUTHN_ORIGIN: 'https://a.example.test, http://localhost:8080',
      }).webauthnOrigins,
    ).toEqual(['https://a.example.test', 'http://localhost:8080']);
  });

  it.each([
    ['a path', 'https://app.example.test/login'],
    ['a trailing slash', 'https://app.example.test/'],
    ['plain http off localhost', 'http://app.example.test'],
    ['plain http on an IP', 'http://127.0.0.1:5173'],
    ['credentials', 'https://user@app.example.test'],
    ['another scheme', 'app://coffer'],
    ['not a URL', 'localhost:5173'],
  ])('refuses a --webauthn-origin with %s', (_what, origin) => {
    expect(() => parse(['--data-dir', '/d', '--webauthn-origin', origin])).toThrow(
      /--webauthn-origin must be an origin/,
    );
  });

  it('lets a flag win over its variable; empty variables count as unset', () => {
    const config = parse(['--port', '0', '--hibp'], {
      COFFER_SERVER_DATA_DIR: '/d',
      COFFER_SERVER_PORT: '1234',
      COFFER_SERVER_HOST: '',
    });
    expect(config.port).toBe(0);
    expect(config.host).toBe('127.0.0.1');
    expect(config.hibp.enabled).toBe(true);
  });

  it('accepts the older COFFER_SERVER_MASTER_KEY_FILE name', () => {
    expect(parse(['--data-dir', '/d'], { COFFER_SERVER_MASTER_KEY_FILE: '/k' }).keyFile).toBe('/k');
  });

  it.each([
    [[], '--data-dir (or COFFER_SERVER_DATA_DIR) is required'],
    [['--data-dir', '/d', '--port', 'x'], '--port must be a number'],
    [['--data-dir', '/d', '--port', '70000'], '--port must be between 0 and 65535'],
    [['--data-dir', '/d', '--port', '1.5'], '--port must be a whole number'],
    [['--data-dir', '/d', '--http-port=-1'], '--http-port must be between 0 and 65535'],
    [['--data-dir', '/d', '--host', 'a b'], '--host must be a host name or IP address'],
    [
      ['--data-dir', '/d', '--storage', 'postgres'],
      '--storage postgres needs --database-url (or COFFER_SERVER_DATABASE_URL)',
    ],
    [
      ['--data-dir', '/d', '--database-url', 'postgres://db.example/coffer'],
      '--database-url goes with --storage postgres',
    ],
    [
      ['--data-dir', '/d', '--storage', 'postgres', '--database-url', 'mysql://db/coffer'],
      '--database-url must be a URL starting with postgres:// or postgresql://',
    ],
    [['--data-dir', '/d', '--storage', 'mysql'], '--storage must be sqlite or postgres'],
    [
      ['--data-dir', '/d', '--smtp-url', 'http://x'],
      '--smtp-url must be a URL starting with smtp: or smtps://',
    ],
    [
      ['--data-dir', '/d', '--smtp-url', 'smtp://relay.example:587?ignoreTLS=true'],
      '--smtp-url takes no ?options',
    ],
    [
      ['--data-dir', '/d', '--hibp-url', 'http://127.0.0.1:9999'],
      '--hibp-url must be a URL starting with https://',
    ],
    [
      ['--data-dir', '/d', '--hibp-url', 'HTTP://api.pwnedpasswords.com'],
      '--hibp-url must be a URL starting with https://',
    ],
    [['--data-dir', '/d', '--trust-ca', ''], '--trust-ca must not be empty'],
    [
      ['--data-dir', '/d', '--public-url', 'http://x'],
      '--public-url must be a URL starting with https://',
    ],
    [['--data-dir', '/d', '--body-limit', '10'], '--body-limit must be at least 1024 bytes'],
    [
      ['--data-dir', '/d', '--log-level', 'loud'],
      '--log-level must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    [['--data-dir', '/'], '--data-dir must not be the file system root'],
    [
      ['--data-dir', '/d', '--metrics-port', '9464', '--metrics-host', '0.0.0.0'],
      '--metrics-host other than loopback needs --metrics-token-file',
    ],
    [
      ['--data-dir', '/d', '--metrics-host', '127.0.0.1'],
      '--metrics-host and --metrics-token-file need --metrics-port',
    ],
    [['--data-dir', '/d', '--metrics-port', 'x'], '--metrics-port must be a number'],
    [['--data-dir', '/d', 'extra'], "Unexpected argument 'extra'"],
    [['--data-dir', '/d', '--nope'], "Unknown option '--nope'"],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parse(argv)).toThrow(ConfigError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('takes PostgreSQL storage with a database URL, from flags or the environment', () => {
    const url = 'postgres://coffer:s3cret@db.example:5432/coffer';
    expect(
      parse(['--data-dir', '/d', '--storage', 'postgres', '--database-url', url]),
    ).toMatchObject({ storage: 'postgres', databaseUrl: url });
    expect(
      parse([], {
        COFFER_SERVER_DATA_DIR: '/d',
        COFFER_SERVER_STORAGE: 'postgres',
        COFFER_SERVER_DATABASE_URL: url,
      }),
    ).toMatchObject({ storage: 'postgres', databaseUrl: url });
  });

  it('never repeats a database password, in an error or a redacted URL', () => {
    const secret = 'pw-that-must-not-show';
    let message = '';
    try {
      parse([
        '--data-dir',
        '/d',
        '--storage',
        'postgres',
        '--database-url',
        `http://u:${secret}@h/db`,
      ]);
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain('--database-url must be a URL');
    expect(message).not.toContain(secret);
    const redacted = redactDatabaseUrl(`postgres://coffer:${secret}@db.example:5432/coffer`);
    expect(redacted).toBe('postgres://coffer:***@db.example:5432/coffer');
    expect(redactDatabaseUrl(`postgres://db.example/coffer?password=${secret}`)).not.toContain(
      secret,
    );
  });

  it('rejects a bad boolean variable', () => {
    expect(() => parse(['--data-dir', '/d'], { COFFER_SERVER_HIBP: 'maybe' })).toThrow(
      '--hibp must be true or false',
    );
  });

  it('trusts only named proxies, never the header on its own', () => {
    for (const bad of ['true', 'yes', '1', '10.0.0.0/33', '127.0.0.1/8/1', 'proxy.local']) {
      expect(() => parse(['--data-dir', '/d', '--trust-proxy', bad])).toThrow(
        '--trust-proxy must list',
      );
    }
    expect(parse(['--data-dir', '/d', '--trust-proxy', '::1,fd00::/8']).trustProxy).toEqual([
      '::1',
      'fd00::/8',
    ]);
  });

  it('builds the origin from host and the real port, bracketing IPv6', () => {
    expect(publicOrigin(parse(['--data-dir', '/d']), 4444)).toBe('https://127.0.0.1:4444');
    expect(publicOrigin(parse(['--data-dir', '/d', '--host', '::1']), 1)).toBe('https://[::1]:1');
  });
});
