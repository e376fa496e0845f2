// Entry of the Electron utilityProcess that runs analysis jobs (src/main/analysis-process.ts
// forks the built copy of this file). No `electron` import: the utility process gets its
// port as process.parentPort.

import { useSqliteNativeBinding } from '../store';
import type { ToJobHost } from './job-messages';
import { serveJobs } from './job-host';
import { builtVisualWorker, visualWorkerPass } from './visual-worker-host';

// The Electron-ABI better-sqlite3 addon, passed by src/main/analysis-process.ts.
useSqliteNativeBinding(process.env.SENTISCOPE_SQLITE_BINDING);

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('utility-entry runs inside an Electron utilityProcess');
serveJobs(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToJobHost)),
  },
  {
    // This file runs built (out/main/analysis-utility.js); the visual worker is built beside it
    // as its own entry (electron.vite.config.ts), so it is resolved from this file's URL.
    visualPass: visualWorkerPass(builtVisualWorker(new URL('./visual-worker.js', import.meta.url))),
  },
);
