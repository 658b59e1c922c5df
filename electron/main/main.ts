/**
 * The Electron main process: thin by design. It registers the `app://` scheme, hardens
 * the session and every web contents, starts the core in a utility process, opens the
 * window, and brokers two things over IPC: a MessagePort from each window to the core,
 * and the OS's own check (Touch ID, Windows Hello) for the app lock, whose outcome main
 * reports to the core itself.
 */
import * as path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  shell,
  systemPreferences,
  type WebFrameMain,
} from 'electron';
import { DESKTOP_IPC } from '../../shared/app/desktop-ipc.js';
import { startCoreHost, type CoreHost } from './core-host.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { createMainWindow } from './main-window.js';
import { osCheckFor } from './os-check.js';
import { createOsUnlockBroker } from './os-unlock.broker.js';
import { loadWindowsHello } from './windows-hello.loader.js';
import { hardenDefaultSession, registerAppScheme } from './session.hardening.js';
import { resolveVaultDir } from './vault-dir.js';
import { guardWebContents } from './web-contents.guard.js';

// Built layout (electron.vite.config.ts): dist/app/main/{main,core-process}.js,
// dist/app/preload/preload.cjs, and the renderer in dist/renderer/.
const here = import.meta.dirname;
const PRELOAD_PATH = path.join(here, '..', 'preload', 'preload.cjs');
const CORE_PROCESS_PATH = path.join(here, 'core-process.js');

function log(line: string): void {
  process.stderr.write(`Coffer: ${line}\n`);
}

// The per-user data folder is named after the app: "Coffer", as packaged and as web mode
// expects, not the package name "coffer" Electron would use when run from the source tree.
app.setName('Coffer');
registerAppScheme();
app.enableSandbox();

// One app instance per user: two would open the same vault file at once.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: CoreHost | null = null;
  const windows = new Map<number, BrowserWindow>();

  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, { openExternal: (url) => shell.openExternal(url), log }),
  );

  const osUnlock = createOsUnlockBroker({
    osCheck: osCheckFor(process.platform, { systemPreferences, loadWindowsHello }),
    core: {
      osUnlock: (step) =>
        core?.osUnlock(step) ??
        Promise.resolve({
          ok: false,
          error: { code: 'INTERNAL', message: 'Coffer’s engine is not running' },
        }),
    },
  });

  registerIpcHandlers<WebFrameMain, Electron.IpcMainEvent>(ipcMain, {
    windowTopFrame: (id) => windows.get(id)?.webContents.mainFrame,
    connect: (_id, topFrame) => core?.connect(topFrame),
    osUnlock,
    replyOsCheck: (topFrame, reply) => {
      if (!topFrame.detached) topFrame.send(DESKTOP_IPC.osCheckResult, reply);
    },
    onRefused: (channel, id) => log(`refused ${channel} from web contents ${id}`),
    onInternalError: (error) =>
      log(`OS check failed (${error instanceof Error ? error.name : typeof error})`),
  });

  const openWindow = (): void => {
    const window = createMainWindow({ preload: PRELOAD_PATH, devTools: !app.isPackaged });
    const id = window.webContents.id;
    windows.set(id, window);
    window.on('closed', () => windows.delete(id));
  };

  app.on('second-instance', () => {
    const [first] = windows.values();
    if (first === undefined) return;
    if (first.isMinimized()) first.restore();
    first.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => core?.stop());

  void app.whenReady().then(() => {
    hardenDefaultSession(path.join(app.getAppPath(), 'dist', 'renderer'));
    core = startCoreHost({
      modulePath: CORE_PROCESS_PATH,
      vaultDir: resolveVaultDir({
        envVault: process.env['COFFER_VAULT'],
        userDataDir: app.getPath('userData'),
      }),
      onExit: (code) => {
        dialog.showErrorBox('Coffer', `Coffer's engine stopped unexpectedly (exit code ${code}).`);
        app.quit();
      },
    });
    openWindow();
  });
}
