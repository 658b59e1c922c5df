/**
 * Entry of the utility process the core runs in (never in main, never in a window), so
 * SQLCipher work never blocks a window. Main forks it with the vault folder as
 * `--vault DIR`, then posts `{ type: 'connect' }` with one MessagePort per window; every
 * `window.coffer` call arrives on such a port and goes through the same dispatcher web
 * mode uses. The vault key comes from the OS keychain only. Main's own requests (the OS
 * check for the app lock) come on the parent port, which no window can reach.
 */
import type { MessagePortMain } from 'electron';
import { createApiDispatcher } from '../core/api/api-dispatcher.js';
import { AppSession } from '../core/api/app-session.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { createCoreControlHandler } from './core-control.handler.js';
import { createCorePortHub, type CorePort } from './core-port.hub.js';
import { isConnectMessage, vaultDirFromArgs } from './core-process.args.js';

function reportInternal(error: unknown): void {
  // The operator's log: the kind of failure, never a value a window sent.
  const name = error instanceof Error ? error.name : typeof error;
  process.stderr.write(`Coffer core: internal error (${name})\n`);
}

function fromMainPort(port: MessagePortMain): CorePort {
  return {
    onMessage: (listener) => port.on('message', (event) => listener(event.data)),
    onClose: (listener) => port.on('close', listener),
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
  };
}

const vaultDir = vaultDirFromArgs(process.argv);
if (vaultDir === null) {
  process.stderr.write('Coffer core: started without --vault DIR\n');
  process.exit(2);
}

const session = new AppSession({ vaultDir, keyStore: new KeychainKeyStore(), host: 'desktop' });
const hub = createCorePortHub(
  (emit) => createApiDispatcher({ session, emit, onInternalError: reportInternal }),
  reportInternal,
);

const control = createCoreControlHandler({
  session,
  emit: (event) => hub.broadcast(event),
  onInternalError: reportInternal,
});

process.parentPort.on('message', (event) => {
  if (isConnectMessage(event.data)) {
    for (const port of event.ports) hub.attach(fromMainPort(port));
    return;
  }
  const reply = control(event.data);
  if (reply !== null) process.parentPort.postMessage(reply);
});

process.once('exit', () => session.closeVault());
