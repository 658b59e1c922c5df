// Builds the desktop app's Node side into dist/app/: the main process and the core's
// utility-process entry (ES modules, npm dependencies left to node_modules so native
// modules load from real files), and the preload. A sandboxed preload cannot require
// anything but `electron`, so it is one self-contained CommonJS file with zod and the
// shared API table inside. The renderer is built by renderer/vite.config.ts into
// dist/renderer/, which the app:// protocol serves.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
// COFFER_APP_OUT lets a test build into a folder of its own.
const out = resolve(process.env['COFFER_APP_OUT'] ?? resolve(root, 'dist/app'));

export default defineConfig({
  main: {
    build: {
      outDir: resolve(out, 'main'),
      emptyOutDir: true,
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          main: resolve(root, 'electron/main/main.ts'),
          'core-process': resolve(root, 'electron/main/core-process.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(out, 'preload'),
      emptyOutDir: true,
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'electron/preload/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
});
