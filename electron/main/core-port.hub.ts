/**
 * The core's side of the windows' ports: each window's MessagePort gets its calls handed
 * to the dispatcher and its answers posted back on the same port; events go to every
 * port still open. Written against a small port shape so it runs the same over an
 * Electron MessagePortMain (in the utility process) and a Node MessagePort (in tests).
 */
import type { ApiEvent, ApiServerMessage } from '../../shared/api/api-envelope.js';
import type { ApiDispatcher } from '../core/api/api-dispatcher.js';

export interface CorePort {
  onMessage(listener: (data: unknown) => void): void;
  onClose(listener: () => void): void;
  postMessage(message: ApiServerMessage): void;
  start(): void;
}

export interface CorePortHub {
  attach(port: CorePort): void;
  /** Tells every open port something the core did by itself (a lock released by main). */
  broadcast(event: ApiEvent): void;
  /** How many windows are connected now. */
  readonly size: number;
}

export function createCorePortHub(
  makeDispatcher: (emit: (event: ApiEvent) => void) => ApiDispatcher,
  onInternalError: (error: unknown) => void,
): CorePortHub {
  const ports = new Set<CorePort>();
  const broadcast = (event: ApiEvent): void => {
    for (const port of ports) port.postMessage({ type: 'event', event });
  };
  const dispatch = makeDispatcher(broadcast);

  return {
    attach(port) {
      ports.add(port);
      port.onClose(() => ports.delete(port));
      port.onMessage((data) => {
        dispatch(data).then(
          (answer) => {
            if (answer !== null && ports.has(port)) port.postMessage(answer);
          },
          // The dispatcher answers every failure itself; reaching here is a bug in it.
          onInternalError,
        );
      });
      port.start();
    },
    broadcast,
    get size() {
      return ports.size;
    },
  };
}
