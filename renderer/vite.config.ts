// Builds the renderer into dist/renderer/. The same files are served by the desktop
// app's app:// protocol and by web mode's server, so asset URLs are relative.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    // Sourcemaps would ship the source to anyone with the app; the app is not a web site.
    sourcemap: false,
    chunkSizeWarningLimit: 2048,
  },
});
