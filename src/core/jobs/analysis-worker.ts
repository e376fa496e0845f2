// Entry of the worker thread that runs analysis jobs (CLI and browser mode). It opens its
// own connection to the project file (SQLite in WAL mode lets it write beside the
// connection of the thread that started it). Each job's visual passes run in a worker of
// their own (visual-worker-host.ts), so the face nets get the second core.

import { parentPort } from 'node:worker_threads';
import type { ToJobHost } from './job-messages';
import { serveJobs } from './job-host';
import { sourceVisualWorker, visualWorkerPass } from './visual-worker-host';

if (!parentPort) throw new Error('analysis-worker.ts runs inside a worker thread: start it with startAnalysisWorker()');
const port = parentPort;
serveJobs(
  {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (message: ToJobHost) => listener(message)),
  },
  { visualPass: visualWorkerPass(sourceVisualWorker) },
);
