import { printError, printLine } from './cli-output.js';
import { ConfigError, parseServerConfig, redactDatabaseUrl } from './config/server-config.js';
import type { ServerConfig } from './config/server-config.js';
import type { BackupArgs } from './backup/backup-args.js';
import type { RunningServer } from './server.js';
import type { Storage } from './storage/storage.js';

/**
 * `npm run server -- --data-dir DIR [flags]` starts the server;
 * `npm run server -- rotate-master-key --data-dir DIR [--key-file F]` replaces the master key;
 * `npm run server -- new-certificate --data-dir DIR [--host H] [--public-url URL]` replaces
 * the TLS certificate (a new fingerprint for clients to pin);
 * `npm run server -- mark-restored --data-dir DIR` gives a data dir restored from a backup a
 * new epoch id, so clients push again what the backup lacks;
 * `npm run server -- backup --data-dir DIR --out FILE [--force]` writes a backup while the
 * server runs, and `restore --data-dir DIR --from FILE` puts one back (backup/).
 * Exit status: 0 ok, 1 failure, 2 bad usage or configuration.
 */
const USAGE = `usage: npm run server -- [serve] --data-dir DIR [--port 8443] [--host 127.0.0.1]
         [--http-port PORT] [--key-file FILE] [--smtp-url URL] [--mail-from ADDR]
         [--trust-ca FILE] [--hibp] [--hibp-url URL] [--trust-proxy ADDR[,ADDR]]
         [--public-url URL] [--rp-id ID] [--webauthn-origin ORIGIN]...
         [--body-limit BYTES] [--log-level LEVEL]
         [--storage sqlite|postgres] [--database-url postgres://...]
         [--metrics-port PORT [--metrics-host 127.0.0.1] [--metrics-token-file FILE]]
       npm run server -- rotate-master-key --data-dir DIR [--key-file FILE]
       npm run server -- new-certificate --data-dir DIR [--host HOST] [--public-url URL]
       npm run server -- mark-restored --data-dir DIR   (after restoring DIR from a backup)
       npm run server -- backup --data-dir DIR --out FILE [--force] [--storage ... --database-url URL]
       npm run server -- restore --data-dir DIR --from FILE [--key-file FILE] [--storage ... --database-url URL]
Every flag has a COFFER_SERVER_* environment variable (see README, "Sync server").`;

const COMMANDS = new Set([
  'serve',
  'rotate-master-key',
  'new-certificate',
  'mark-restored',
  'backup',
  'restore',
]);

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    printLine(USAGE);
    return 0;
  }
  const command = first !== undefined && !first.startsWith('-') ? first : 'serve';
  const flags = command === first ? rest : argv;
  if (!COMMANDS.has(command)) {
    printError(`unknown command: ${command}\n${USAGE}`);
    return 2;
  }
  let config: ServerConfig;
  let backupArgs: BackupArgs | undefined;
  try {
    if (command === 'backup' || command === 'restore') {
      const { parseBackupArgs } = await import('./backup/backup-args.js');
      backupArgs = parseBackupArgs(command, flags);
    }
    config = parseServerConfig(backupArgs?.serverFlags ?? flags, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      printError(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  try {
    if (command === 'serve') return await serve(config);
    if (command === 'new-certificate') return await newCertificate(config);
    if (command === 'mark-restored') return await restored(config);
    if (backupArgs?.out !== undefined)
      return await backup(config, backupArgs.out, backupArgs.force);
    if (backupArgs?.from !== undefined) return await restore(config, backupArgs.from);
    return await rotate(config);
  } catch (error) {
    // Found once the server looks at its files (the certificate's host, --trust-ca).
    if (error instanceof ConfigError) {
      printError(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

// The server modules load only after the arguments were accepted, so usage errors are quick.
async function serve(config: ServerConfig): Promise<number> {
  const { startServer } = await import('./server.js');
  const { certificateNames, formatFingerprint } = await import('./tls/certificate.js');
  const server = await startServer(config);
  printLine(`fingerprint: ${formatFingerprint(server.fingerprint)}`);
  const names = certificateNames(config.host, config.publicUrl).join(', ');
  printLine(
    server.certificateCreated
      ? `certificate: new, for ${names}; clients must pin the fingerprint above`
      : `certificate: for ${names}`,
  );
  if (config.databaseUrl !== undefined) {
    printLine(`storage: postgres ${redactDatabaseUrl(config.databaseUrl)}`);
  }
  if (server.mailTransport.kind === 'outbox') printLine(`mail: outbox ${server.mailTransport.dir}`);
  if (server.httpUrl !== undefined) printLine(`redirecting ${server.httpUrl}`);
  if (server.metricsPort !== undefined && config.metrics !== undefined) {
    const host = config.metrics.host.includes(':')
      ? `[${config.metrics.host}]`
      : config.metrics.host;
    printLine(`metrics on http://${host}:${server.metricsPort}/metrics`);
  }
  return waitForShutdown(server, () => printLine(`listening on ${server.url}`));
}

/**
 * Serves until SIGINT or SIGTERM. `announce` runs once the signal listeners are installed:
 * whoever waits for "listening on" may stop the server at once, and before a listener is
 * installed a signal has its default action and kills the process instead.
 */
function waitForShutdown(server: RunningServer, announce: () => void): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      printLine(`${signal}: shutting down`);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          printError(`error during shutdown: ${describe(error)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    announce();
  });
}

/**
 * Runs an offline maintenance command against the data dir's database: the dir locked, so
 * no server runs on it meanwhile, the storage closed and the lock released after.
 */
async function withLockedStorage(
  config: ServerConfig,
  run: (storage: Storage) => Promise<number>,
): Promise<number> {
  const { lockDataDir, prepareDataDir } = await import('./data-dir.js');
  const { openConfiguredStorage } = await import('./storage/open-storage.js');
  await prepareDataDir(config.dataDir);
  const release = await lockDataDir(config.dataDir);
  try {
    const storage = await openConfiguredStorage(config, 'maintenance');
    try {
      return await run(storage);
    } finally {
      await storage.close();
    }
  } finally {
    await release();
  }
}

async function rotate(config: ServerConfig): Promise<number> {
  const { rotateMasterKey } = await import('./secrets/rotate-master-key.js');
  return withLockedStorage(config, async (storage) => {
    const result = await rotateMasterKey({ storage, keyFile: config.keyFile });
    printLine(
      `rotated master key ${result.oldKeyId} -> ${result.newKeyId} ` +
        `(${result.rows} rows re-encrypted); key file ${config.keyFile}`,
    );
    return 0;
  });
}

async function restored(config: ServerConfig): Promise<number> {
  const { markRestored } = await import('./sync/restore-epoch.js');
  return withLockedStorage(config, async (storage) => {
    const { previous, epoch } = await markRestored(storage);
    printLine(`epoch: ${previous ?? 'none'} -> ${epoch}`);
    printLine('Clients will push again what this copy of the data lacks at their next sync.');
    return 0;
  });
}

async function backup(config: ServerConfig, out: string, force: boolean): Promise<number> {
  const { createBackup } = await import('./backup/create-backup.js');
  return explainBackupErrors(async () => {
    const made = await createBackup({ config, out, force });
    printLine(`backup: ${made.out} (${made.bytes} bytes, sha256 ${made.sha256})`);
    printLine(
      `holds: the ${config.storage === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database and the TLS ` +
        `certificate and key; not the master key (keep ${config.keyFile} apart from it)`,
    );
    return 0;
  });
}

async function restore(config: ServerConfig, from: string): Promise<number> {
  const { restoreBackup } = await import('./backup/restore-backup.js');
  return explainBackupErrors(async () => {
    const restored = await restoreBackup({ config, from });
    printLine(`restored: ${from} (taken ${restored.header.createdAt}) into ${config.dataDir}`);
    printLine(`epoch: ${restored.previousEpoch ?? 'none'} -> ${restored.epoch}`);
    printLine('Clients will push again what this copy of the data lacks at their next sync.');
    return 0;
  });
}

/** A backup or restore that could not be done prints why and answers its exit status. */
async function explainBackupErrors(run: () => Promise<number>): Promise<number> {
  const { BackupError } = await import('./backup/backup-error.js');
  const { DataDirError } = await import('./data-dir.js');
  const { StorageOpenError } = await import('./storage/open-storage.js');
  try {
    return await run();
  } catch (error) {
    if (error instanceof BackupError) {
      printError(`error: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof DataDirError || error instanceof StorageOpenError) {
      printError(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function newCertificate(config: ServerConfig): Promise<number> {
  const { lockDataDir, prepareDataDir } = await import('./data-dir.js');
  const { certificateNames, formatFingerprint, replaceCertificate } =
    await import('./tls/certificate.js');
  await prepareDataDir(config.dataDir);
  const release = await lockDataDir(config.dataDir);
  try {
    const names = certificateNames(config.host, config.publicUrl);
    const { previous, current } = await replaceCertificate(config.dataDir, names);
    if (previous !== null) printLine(`replaced: ${formatFingerprint(previous)}`);
    printLine(`fingerprint: ${formatFingerprint(current.fingerprint)}`);
    printLine(`certificate: new, for ${names.join(', ')}`);
    printLine(
      'Clients pinned to the old fingerprint will refuse this server until they pin the new one.',
    );
    return 0;
  } finally {
    await release();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    printError(`error: ${describe(error)}`);
    process.exitCode = 1;
  },
);
