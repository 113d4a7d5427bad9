/**
 * Builds the workbench window (renderer/) into dist/renderer/. `base: './'` keeps every asset URL
 * relative so the same build loads from file:// in Electron and from the web transport's `/`.
 */
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [vue()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // dist/renderer/.vite/manifest.json: which chunks each entry and view loads (the web
    // server never serves hidden folders; scripts/first-load.mjs reads it).
    manifest: true,
    chunkSizeWarningLimit: 2000,
  },
});
