/**
 * Main's handle on the core: forks the utility process once, and gives each window its
 * own MessageChannelMain, one end to the core and the other to the window's top frame.
 * A window that asks again (after a reload) gets a new channel; the core drops the old
 * port when it closes. Main keeps its own control channel to the core: the process's
 * parent port.
 */
import {
  MessageChannelMain,
  utilityProcess,
  type UtilityProcess,
  type WebFrameMain,
} from 'electron';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import { createCoreControlClient, type CoreControlClient } from './core-control.client.js';
import { CORE_CONNECT_MESSAGE, coreProcessArgs } from './core-process.args.js';
import { coreProcessEnv } from './core-process.env.js';

export interface CoreHost extends Pick<CoreControlClient, 'osUnlock'> {
  connect(topFrame: WebFrameMain): void;
  stop(): void;
}

export function startCoreHost(options: {
  modulePath: string;
  vaultDir: string;
  onExit(code: number): void;
}): CoreHost {
  const child: UtilityProcess = utilityProcess.fork(
    options.modulePath,
    coreProcessArgs(options.vaultDir),
    {
      serviceName: 'Coffer core',
      stdio: 'inherit',
      env: coreProcessEnv(process.env, process.platform),
    },
  );
  let stopping = false;
  // Main's own channel to the core (the OS check for the app lock); no window holds it.
  const control = createCoreControlClient((request) => child.postMessage(request));
  child.on('message', (data: unknown) => control.receive(data));
  child.on('exit', (code) => {
    control.failAll();
    if (!stopping) options.onExit(code);
  });

  return {
    osUnlock: (step) => control.osUnlock(step),
    connect(topFrame) {
      const { port1, port2 } = new MessageChannelMain();
      child.postMessage(CORE_CONNECT_MESSAGE, [port1]);
      topFrame.postMessage(DESKTOP_IPC.port, null, [port2]);
    },
    stop() {
      stopping = true;
      child.kill();
    },
  };
}
