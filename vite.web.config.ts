// Browser mode: the same renderer, built as a plain web app that `sentiscope serve`
// hosts on 127.0.0.1. It talks to the loopback server instead of Electron IPC.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  root: resolve('src/renderer'),
  base: './',
  plugins: [vue()],
  build: { outDir: resolve('out/web'), emptyOutDir: true },
});
