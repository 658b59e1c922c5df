/**
 * The sync server for the scale section: `sync-server/main.ts`'s start (same flags, same
 * start-up lines), except that new password hashes use cheap Argon2 parameters. The scale
 * section signs a thousand device sessions in before it measures anything, and what it
 * measures (announcements, pushes, memory with many sockets) never hashes a password;
 * the server section measures sign-ins at the production cost.
 */
import { parseServerConfig } from '../../sync-server/config/server-config.js';
import { startServer } from '../../sync-server/server.js';
import { FAST_ARGON2 } from '../../sync-server/test/support/fast-argon2.js';
import { formatFingerprint } from '../../sync-server/tls/certificate.js';

const server = await startServer(parseServerConfig(process.argv.slice(2), process.env), {
  argon2: FAST_ARGON2,
});
process.stdout.write(`fingerprint: ${formatFingerprint(server.fingerprint)}\n`);
process.stdout.write(`listening on ${server.url}\n`);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => (process.exitCode = 0),
    () => (process.exitCode = 1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
