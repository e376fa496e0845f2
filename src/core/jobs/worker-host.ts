// Runs the job host in a worker_threads Worker (the CLI and browser mode). The worker
// loads TypeScript through analysis-worker-boot.mjs, which registers tsx first.

import { Worker } from 'node:worker_threads';
import type { FromJobHost, ToJobHost } from './job-messages';

/** A started job host, whatever it runs in. */
export interface JobHostHandle {
  send(message: ToJobHost): void;
  onMessage(listener: (message: FromJobHost) => void): void;
  /** Called once when the host ends on its own (crash, exit) with why. */
  onExit(listener: (reason: string) => void): void;
  terminate(): Promise<void>;
}

export type JobHostFactory = () => JobHostHandle;

export function startAnalysisWorker(): JobHostHandle {
  const entry = new URL('./analysis-worker.ts', import.meta.url).href;
  const worker = new Worker(new URL('./analysis-worker-boot.mjs', import.meta.url), { workerData: { entry } });
  let ended = false;
  let exitListener: ((reason: string) => void) | null = null;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    exitListener?.(reason);
  };
  worker.on('error', (err) => end(`the analysis worker failed: ${err.message}`));
  worker.on('exit', (code) => end(`the analysis worker exited (code ${code})`));
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      exitListener = listener;
    },
    async terminate() {
      ended = true;
      await worker.terminate();
    },
  };
}
