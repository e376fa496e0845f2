import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Analysis jobs run here, in a utilityProcess (src/main/analysis-process.ts).
          'analysis-utility': resolve('src/core/jobs/utility-entry.ts'),
          // Each job's visual passes run in this worker thread (src/core/jobs/visual-worker-host.ts).
          'visual-worker': resolve('src/core/jobs/visual-worker.ts'),
          // "Refit on my labels" runs here, a worker thread per refit (src/core/jobs/refit-worker-host.ts).
          'refit-worker': resolve('src/core/jobs/refit-worker.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload can only require 'electron': bundle everything else into one CJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [vue()],
  },
});
