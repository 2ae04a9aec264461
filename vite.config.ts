import { defineConfig } from 'vite';

// The renderer, built to out/renderer. JSX is compiled by esbuild directly (no React plugin:
// no fast refresh needed, one dependency less). Relative asset paths so that Electron can load
// the page from file:// and the browser mode from its own server.
export default defineConfig({
  root: 'renderer',
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // One stable chunk layout; xterm is the big one.
    chunkSizeWarningLimit: 1200,
  },
});
